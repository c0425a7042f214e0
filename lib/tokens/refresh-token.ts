import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { hashToken, randomToken } from "./hash";

const DAY = 86_400_000;

/** Issues the next refresh token of a session's family; only its hash is stored. */
export async function issueRefreshToken(tx: Pick<Db, "refreshToken">, sessionId: string, now = new Date()): Promise<string> {
  const token = randomToken("wrt_");
  await tx.refreshToken.create({
    data: { sessionId, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * DAY) },
  });
  return token;
}
