import { config } from "@/lib/config";
import { newId, on, sql, type PrismaRaw, type Runner } from "@/lib/db/sql";
import { issueRefreshToken } from "@/lib/tokens/refresh-token";

export type CreatedVia = "code" | "wallet" | "qr" | "oidc";

/** A new signed-in device: the session row and the first refresh token of its family. */
export async function createSession(
  tx: Runner | PrismaRaw,
  input: { userId: string; via: CreatedVia; ip?: string; userAgent?: string; clientId?: string; now?: Date },
): Promise<{ sessionId: string; refreshToken: string }> {
  const now = input.now ?? new Date();
  const sessionId = newId();
  const expiresAt = new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  await on(tx).run(sql`
    INSERT INTO sessions (id, user_id, created_via, client_id, ip, user_agent, created_at, last_seen_at, expires_at)
    VALUES (${sessionId}, ${input.userId}, ${input.via}, ${input.clientId ?? null}, ${input.ip ?? null}, ${input.userAgent?.slice(0, 512) ?? null}, ${now}, ${now}, ${expiresAt})`);
  const refreshToken = await issueRefreshToken(tx, sessionId, now);
  return { sessionId, refreshToken };
}
