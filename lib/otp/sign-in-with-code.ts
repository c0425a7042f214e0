import { recordEvent } from "@/lib/audit/record-event";
import { createSession, type CreatedVia } from "@/lib/sessions/create-session";
import { tokenResponse, type TokenResponse } from "@/lib/tokens/token-response";
import { findOrCreateUser } from "@/lib/users/find-or-create-user";
import type { UserView } from "@/lib/users/user-view";
import { verifyCode } from "./verify-code";

/** `challengeId`: for a wallet, the `challenge_id` sign returned with the message (see verifyCode). */
type Input = { id: string; code: string | number; challengeId?: string; ip: string; userAgent?: string; now?: Date };
export type SignedIn = { userId: string; isNewUser: boolean; sessionId: string; refreshToken: string; user: UserView };

/** A right code (or wallet signature) signs in, creating the user on first use, and opens a session. */
export async function completeSignIn(input: Input): Promise<SignedIn> {
  return verifyCode(input, async (tx, { identity, challenge, now }) => {
    const { userId, isNewUser, user } = await findOrCreateUser(tx, identity, now);
    const via: CreatedVia = challenge.channel === "wallet" ? "wallet" : "code";
    const { sessionId, refreshToken } = await createSession(tx, { userId, via, ip: input.ip, userAgent: input.userAgent, now });
    await recordEvent(tx, { type: "sign_in", userId, subject: identity.value, sessionId, ip: input.ip, userAgent: input.userAgent, detail: { via, new_user: isNewUser } });
    return { userId, isNewUser, sessionId, refreshToken, user };
  });
}

/** POST /v1/oauth/verify: the signed-in session as tokens (SPEC §3.2). */
export async function signInWithCode(input: Input): Promise<TokenResponse> {
  return tokenResponse(await completeSignIn(input));
}
