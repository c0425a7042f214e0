import { config } from "@/lib/config";
import { newId } from "@/lib/db/ids";
import type { Queryable } from "@/lib/db/kysely";
import { insertSession } from "@/lib/db/sessions";
import { issueRefreshToken } from "@/lib/tokens/refresh-token";

export type CreatedVia = "code" | "wallet" | "qr" | "oidc";

/** A new signed-in device: the session row and the first refresh token of its family. */
export async function createSession(
  tx: Queryable,
  input: { userId: string; via: CreatedVia; ip?: string; userAgent?: string; clientId?: string; now?: Date },
): Promise<{ sessionId: string; refreshToken: string }> {
  const now = input.now ?? new Date();
  const sessionId = newId();
  const expiresAt = new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  await insertSession(tx, {
    id: sessionId,
    userId: input.userId,
    via: input.via,
    clientId: input.clientId ?? null,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    now,
    expiresAt,
  });
  const refreshToken = await issueRefreshToken(tx, sessionId, now);
  return { sessionId, refreshToken };
}
