import { kysely } from "@/lib/db/kysely";
import { findSession } from "@/lib/db/sessions";
import { ApiError } from "@/lib/http/errors";
import { checkAccessToken } from "@/lib/tokens/access-token";
import type { HotRequest } from "@/lib/http/hot-request";

export type Principal = { userId: string; sessionId: string };

/**
 * The user behind a Bearer access token — only while its session is alive, so
 * a revoked session's tokens stop working at once, not when they expire.
 */
export async function authenticateBearer(request: HotRequest): Promise<Principal> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match) throw new ApiError("invalid_token", "Send an access token as `Authorization: Bearer <token>`.");
  const checked = await checkAccessToken(match[1]);
  if (!checked.claims) throw new ApiError("invalid_token", "The access token is invalid or expired.", { cause: checked.why });
  const { claims } = checked;
  const alive = await sessionAlive(claims.sid, claims.sub);
  if (!alive) throw new ApiError("invalid_token", "The session of this access token has ended.");
  return { userId: claims.sub, sessionId: claims.sid };
}

export async function sessionAlive(sessionId: string, userId: string, now = new Date()): Promise<boolean> {
  const session = await findSession(kysely(), sessionId);
  return !!session && session.userId === userId && !session.revokedAt && session.expiresAt > now;
}
