import { config } from "@/lib/config";
import type { Queryable } from "@/lib/db/kysely";
import { insertRefreshToken } from "@/lib/db/refresh-tokens";
import { hashToken, randomToken } from "./hash";

const DAY = 86_400_000;

/** Issues the next refresh token of a session's family; only its hash is stored. */
export async function issueRefreshToken(tx: Queryable, sessionId: string, now = new Date()): Promise<string> {
  const token = randomToken("wrt_");
  const expiresAt = new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * DAY);
  await insertRefreshToken(tx, { sessionId, tokenHash: hashToken(token), now, expiresAt });
  return token;
}
