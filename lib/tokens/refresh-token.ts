import { config } from "@/lib/config";
import { newId, on, sql, type PrismaRaw, type Runner } from "@/lib/db/sql";
import { hashToken, randomToken } from "./hash";

const DAY = 86_400_000;

/** Issues the next refresh token of a session's family; only its hash is stored. */
export async function issueRefreshToken(tx: Runner | PrismaRaw, sessionId: string, now = new Date()): Promise<string> {
  const token = randomToken("wrt_");
  const expiresAt = new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * DAY);
  await on(tx).run(sql`
    INSERT INTO refresh_tokens (id, session_id, token_hash, created_at, expires_at)
    VALUES (${newId()}, ${sessionId}, ${hashToken(token)}, ${now}, ${expiresAt})`);
  return token;
}
