import { config } from "@/lib/config";
import { newId } from "@/lib/db/ids";
import type { Queryable } from "@/lib/db/kysely";
import { insertRefreshToken } from "@/lib/db/refresh-tokens";
import { hashToken, randomToken } from "./hash";

const DAY = 86_400_000;

/** A new refresh token and the row that stores it (only its hash). */
export function newRefreshToken(now = new Date()): { token: string; row: { id: string; tokenHash: string; expiresAt: Date } } {
  const token = randomToken("wrt_");
  return { token, row: { id: newId(), tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * DAY) } };
}

/** Issues the next refresh token of a session's family; only its hash is stored. */
export async function issueRefreshToken(tx: Queryable, sessionId: string, now = new Date()): Promise<string> {
  const { token, row } = newRefreshToken(now);
  await insertRefreshToken(tx, { ...row, sessionId, now });
  return token;
}
