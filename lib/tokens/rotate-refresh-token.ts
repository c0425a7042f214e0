import { db } from "@/lib/db/client";
import { recordEvent } from "@/lib/audit/record-event";
import { ApiError } from "@/lib/http/errors";
import { userView } from "@/lib/users/user-view";
import { hashToken } from "./hash";
import { issueRefreshToken } from "./refresh-token";
import { tokenResponse, type TokenResponse } from "./token-response";

/**
 * Exchanges a refresh token for a new pair. The old token is marked used in one
 * guarded statement, so of two concurrent uses exactly one wins; presenting a
 * token that was already rotated revokes the whole session (reuse detection).
 */
export async function rotateRefreshToken(input: { refreshToken: string; ip?: string; userAgent?: string; now?: Date }): Promise<TokenResponse> {
  const now = input.now ?? new Date();
  const tokenHash = hashToken(input.refreshToken);
  const outcome = await db().$transaction(async (tx) => {
    const { count } = await tx.refreshToken.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now }, session: { revokedAt: null, expiresAt: { gt: now } } },
      data: { usedAt: now },
    });
    const row = await tx.refreshToken.findUnique({ where: { tokenHash }, include: { session: true } });
    if (count === 1 && row) {
      await tx.session.update({ where: { id: row.sessionId }, data: { lastSeenAt: now, ip: input.ip ?? row.session.ip } });
      const refreshToken = await issueRefreshToken(tx, row.sessionId, now);
      return { ok: true as const, sessionId: row.sessionId, userId: row.session.userId, refreshToken, user: await userView(tx, row.session.userId) };
    }
    if (row?.usedAt && !row.session.revokedAt) {
      await tx.session.updateMany({ where: { id: row.sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: "refresh_token_reused" } });
      await recordEvent(tx, { type: "refresh_token_reused", userId: row.session.userId, sessionId: row.sessionId, ip: input.ip, userAgent: input.userAgent });
    }
    return { ok: false as const };
  });
  if (!outcome.ok) throw new ApiError("invalid_grant", "The refresh token is invalid, expired, revoked or was already used.");
  return tokenResponse({ user: outcome.user, sessionId: outcome.sessionId, refreshToken: outcome.refreshToken, isNewUser: false });
}
