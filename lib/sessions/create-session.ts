import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { issueRefreshToken } from "@/lib/tokens/refresh-token";

export type CreatedVia = "code" | "wallet" | "qr" | "oidc";

/** A new signed-in device: the session row and the first refresh token of its family. */
export async function createSession(
  tx: Pick<Db, "session" | "refreshToken">,
  input: { userId: string; via: CreatedVia; ip?: string; userAgent?: string; clientId?: string; now?: Date },
): Promise<{ sessionId: string; refreshToken: string }> {
  const now = input.now ?? new Date();
  const session = await tx.session.create({
    data: {
      userId: input.userId,
      createdVia: input.via,
      clientId: input.clientId ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * 86_400_000),
    },
  });
  const refreshToken = await issueRefreshToken(tx, session.id, now);
  return { sessionId: session.id, refreshToken };
}
