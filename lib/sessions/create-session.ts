import { config } from "@/lib/config";
import { newId } from "@/lib/db/ids";
import type { Queryable } from "@/lib/db/kysely";
import { insertSession, type NewSession } from "@/lib/db/sessions";
import { issueRefreshToken } from "@/lib/tokens/refresh-token";

export type CreatedVia = "code" | "wallet" | "qr" | "oidc";

type SessionInput = { via: CreatedVia; ip?: string; userAgent?: string; clientId?: string; now?: Date };

/** A new session's row, before its user is known (lib/db/sign-ins.ts writes it with the user). */
export function newSession(input: SessionInput): Omit<NewSession, "userId" | "now"> {
  const now = input.now ?? new Date();
  return {
    id: newId(),
    via: input.via,
    clientId: input.clientId ?? null,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    expiresAt: new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * 86_400_000),
  };
}

/** A new signed-in device: the session row and the first refresh token of its family. */
export async function createSession(tx: Queryable, input: SessionInput & { userId: string }): Promise<{ sessionId: string; refreshToken: string }> {
  const now = input.now ?? new Date();
  const session = newSession({ ...input, now });
  await insertSession(tx, { ...session, userId: input.userId, now });
  const refreshToken = await issueRefreshToken(tx, session.id, now);
  return { sessionId: session.id, refreshToken };
}
