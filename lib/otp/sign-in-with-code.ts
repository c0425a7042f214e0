import { auditRow } from "@/lib/audit/record-event";
import { newId } from "@/lib/db/ids";
import { kysely } from "@/lib/db/kysely";
import { signInWithChallenge } from "@/lib/db/sign-ins";
import { config } from "@/lib/config";
import { newSession, type CreatedVia } from "@/lib/sessions/create-session";
import { newRefreshToken } from "@/lib/tokens/refresh-token";
import { tokenResponse, type TokenResponse } from "@/lib/tokens/token-response";
import { newUserView, userView, userViewOf, type UserView } from "@/lib/users/user-view";
import { checkCode, codeAlreadyUsed } from "./verify-code";

/** `challengeId`: for a wallet, the `challenge_id` sign returned with the message (see verifyCode). */
type Input = { id: string; code: string | number; challengeId?: string; ip: string; userAgent?: string; now?: Date };
export type SignedIn = { userId: string; isNewUser: boolean; sessionId: string; refreshToken: string; user: UserView };

/**
 * A right code (or wallet signature) signs in, creating the user on first use,
 * and opens a session: the challenge's consumption, the user and identity, the
 * session, its refresh token and the audit row are one atomic change (one
 * statement on PostgreSQL), made only by the one caller that won the code.
 */
export async function completeSignIn(input: Input): Promise<SignedIn> {
  const verified = await checkCode(input);
  const { identity, challenge, now } = verified;
  const via: CreatedVia = challenge.channel === "wallet" ? "wallet" : "code";
  const session = newSession({ via, ip: input.ip, userAgent: input.userAgent, now });
  const refresh = newRefreshToken(now);
  const audit = auditRow({ type: "sign_in", subject: identity.value, ip: input.ip, userAgent: input.userAgent });
  const signedIn = await signInWithChallenge({
    challengeId: challenge.id,
    maxAttempts: config().CODE_MAX_ATTEMPTS,
    identity: { type: identity.type, value: identity.value },
    now,
    newUserId: newId(),
    newIdentityId: newId(),
    session,
    refreshToken: refresh.row,
    audit: { ...audit, detail: (isNewUser) => JSON.stringify({ via, new_user: isNewUser }) },
  });
  if (!signedIn) return codeAlreadyUsed(input, verified);
  const { userId, isNewUser } = signedIn;
  const user = isNewUser ? newUserView(userId, identity, now) : signedIn.user ? userViewOf(userId, signedIn.user) : await userView(kysely(), userId);
  return { userId, isNewUser, sessionId: session.id, refreshToken: refresh.token, user };
}

/** POST /v1/oauth/verify: the signed-in session as tokens (SPEC §3.2). */
export async function signInWithCode(input: Input): Promise<TokenResponse> {
  return tokenResponse(await completeSignIn(input));
}
