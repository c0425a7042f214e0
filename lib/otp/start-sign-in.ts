import { config } from "@/lib/config";
import { insertChallenge, issueCode, killChallenge, type NewChallenge } from "@/lib/db/challenges";
import { kysely } from "@/lib/db/kysely";
import { recordEvent } from "@/lib/audit/record-event";
import { sendCode } from "@/lib/delivery/send-code";
import type { Channel as DeliveryChannel } from "@/lib/delivery/types";
import { ApiError } from "@/lib/http/errors";
import { channelFor, parseIdentity, type ParsedIdentity } from "@/lib/identity/parse-identity";
import { clientBucket, enforce, enforceAll, type RuleName } from "@/lib/ratelimit/limits";
import { buildSignInMessage } from "@/lib/wallet/sign-in-message";
import { CODE_LENGTH, generateCode, hashCode, newChallengeId, newNonce } from "./code";

export type CodeSent = {
  challenge_id: string;
  id_type: ParsedIdentity["type"];
  channel: "email" | "sms" | "voice";
  expires_in: number;
  resend_after: number;
  code_length: number;
};
export type WalletChallenge = { challenge_id: string; id_type: "crypto"; channel: "wallet"; message: string; expires_in: number };

type Input = {
  id: string;
  channel?: "sms" | "voice";
  ip: string;
  userAgent?: string;
  /** set when a signed-in user is adding this identity to their account */
  userId?: string;
  now?: Date;
};

/**
 * Starts a sign-in (SPEC §3.1). Never looks the identity up: the answer is the
 * same for a known and an unknown identity, so it reveals no account.
 */
export async function startSignIn(input: Input): Promise<CodeSent | WalletChallenge> {
  const cfg = config();
  const now = input.now ?? new Date();
  const identity = parseIdentity(input.id, cfg.DEFAULT_PHONE_REGION);
  const channel = channelFor(identity, input.channel);
  if ((channel === "sms" || channel === "voice") && "country" in identity && !cfg.SMS_ALLOWED_COUNTRIES.includes(identity.country ?? "")) {
    throw new ApiError("region_not_allowed", "Codes cannot be sent by SMS or voice to this country.");
  }
  const expiresAt = new Date(now.getTime() + cfg.CODE_TTL_SECONDS * 1000);
  const challengeId = newChallengeId();
  const owner = input.userId ?? null;
  const requestedFrom = clientBucket(input.ip);

  if (identity.type === "crypto" || channel === "wallet") {
    if (identity.type !== "crypto") throw new ApiError("invalid_request", "Only wallet addresses sign in with a signature.");
    await enforce("signPerIp", input.ip, now.getTime());
    const nonce = newNonce();
    const message = buildSignInMessage({
      address: identity.wallet,
      domain: cfg.publicHost,
      uri: cfg.publicOrigin,
      appName: cfg.APP_NAME,
      nonce,
      issuedAt: now,
      expiresAt,
    });
    // Not superseding older messages: otherwise anyone could cancel another person's wallet sign-in.
    await insertChallenge(kysely(), challengeRow({ id: challengeId, identity, channel, codeHash: null, nonce, message, owner, requestedFrom, now, expiresAt }));
    return { challenge_id: challengeId, id_type: "crypto", channel: "wallet", message, expires_in: cfg.CODE_TTL_SECONDS };
  }

  const limits: [RuleName, string][] = [
    ["signPerIp", input.ip],
    ["resendCooldown", identity.value],
    ["sendsPerIdentity", identity.value],
  ];
  if (channel !== "email") limits.push(["smsPerHour", "global"]);
  await enforceAll(limits, now.getTime());

  const code = generateCode();
  // A new code replaces the previous unused one.
  await issueCode(challengeRow({ id: challengeId, identity, channel, codeHash: hashCode(challengeId, code), nonce: null, message: null, owner, requestedFrom, now, expiresAt }));

  const deliveryChannel: DeliveryChannel = channel;
  try {
    await sendCode({ channel: deliveryChannel, to: identity.value, code, ttlSeconds: cfg.CODE_TTL_SECONDS });
  } catch (error) {
    // The provider refused: the code must not stay usable.
    await killChallenge(challengeId);
    await recordEvent(kysely(), { type: "code_delivery_failed", userId: owner, subject: identity.value, ip: input.ip, userAgent: input.userAgent, detail: { channel } });
    throw new ApiError("delivery_failed", `The ${deliveryChannel === "email" ? "email" : deliveryChannel === "sms" ? "SMS" : "voice call"} could not be delivered. Try again later or use another identity.`, { cause: error });
  }
  await recordEvent(kysely(), { type: "code_sent", userId: owner, subject: identity.value, ip: input.ip, userAgent: input.userAgent, detail: { channel } });

  return {
    challenge_id: challengeId,
    id_type: identity.type,
    channel: deliveryChannel,
    expires_in: cfg.CODE_TTL_SECONDS,
    resend_after: cfg.RESEND_COOLDOWN_SECONDS,
    code_length: CODE_LENGTH,
  };
}

function challengeRow(c: Omit<NewChallenge, "identityType" | "identityValue"> & { identity: ParsedIdentity }): NewChallenge {
  const { identity, ...rest } = c;
  return { ...rest, identityType: identity.type, identityValue: identity.value };
}
