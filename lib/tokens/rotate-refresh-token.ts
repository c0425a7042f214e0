import { transaction } from "@/lib/db/kysely";
import { findRefreshToken, useRefreshToken } from "@/lib/db/refresh-tokens";
import { revokeSessions, touchSession } from "@/lib/db/sessions";
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
  const outcome = await transaction(async (tx) => {
    const won = await useRefreshToken(tx, tokenHash, now);
    const row = await findRefreshToken(tx, tokenHash);
    if (won && row) {
      await touchSession(tx, row.sessionId, now, input.ip ?? row.sessionIp);
      const refreshToken = await issueRefreshToken(tx, row.sessionId, now);
      return { ok: true as const, sessionId: row.sessionId, userId: row.userId, refreshToken, user: await userView(tx, row.userId) };
    }
    if (row?.usedAt && !row.revokedAt) {
      await revokeSessions(tx, { id: row.sessionId }, "refresh_token_reused", now);
      await recordEvent(tx, { type: "refresh_token_reused", userId: row.userId, sessionId: row.sessionId, ip: input.ip, userAgent: input.userAgent });
    }
    return { ok: false as const };
  });
  if (!outcome.ok) throw new ApiError("invalid_grant", "The refresh token is invalid, expired, revoked or was already used.");
  return tokenResponse({ user: outcome.user, sessionId: outcome.sessionId, refreshToken: outcome.refreshToken, isNewUser: false });
}
