import { findIdentityByValue } from "@/lib/db/identities";
import { kysely } from "@/lib/db/kysely";
import { ApiError } from "@/lib/http/errors";
import { config } from "@/lib/config";
import { parseIdentity } from "@/lib/identity/parse-identity";
import { startSignIn, type CodeSent, type WalletChallenge } from "@/lib/otp/start-sign-in";

type Input = { userId: string; id: string; channel?: "sms" | "voice"; ip: string; userAgent?: string; now?: Date };

/**
 * Sends a code (or a message to sign) to an identity the signed-in user wants
 * to add. The challenge is bound to the user, so only they can complete it.
 */
export async function startAddingIdentity(input: Input): Promise<CodeSent | WalletChallenge> {
  const identity = parseIdentity(input.id, config().DEFAULT_PHONE_REGION);
  // Saying "already yours" reveals nothing: the user can see it on the page.
  // Whether it belongs to someone else is only said after it is verified.
  const existing = await findIdentityByValue(kysely(), identity.value);
  if (existing?.userId === input.userId) throw new ApiError("invalid_identity", "This identity is already on your account.");
  return startSignIn({ id: input.id, channel: input.channel, ip: input.ip, userAgent: input.userAgent, userId: input.userId, now: input.now });
}
