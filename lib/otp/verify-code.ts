import { config } from "@/lib/config";
import { q, sql, transaction, type Runner } from "@/lib/db/sql";
import { recordEvent } from "@/lib/audit/record-event";
import { ApiError } from "@/lib/http/errors";
import { parseIdentity, type ParsedIdentity } from "@/lib/identity/parse-identity";
import { hit, peek } from "@/lib/ratelimit/hit";
import { RULES, enforce } from "@/lib/ratelimit/limits";
import { safeEqual } from "@/lib/tokens/hash";
import { parseWalletAddress } from "@/lib/wallet/parse-address";
import { verifyWalletSignature } from "@/lib/wallet/verify-signature";
import { hashCode, normaliseCode } from "./code";

type Challenge = {
  id: string;
  identityValue: string;
  channel: string;
  codeHash: string | null;
  nonce: string | null;
  message: string | null;
  attempts: number;
  expiresAt: Date;
};

const WALLET_MESSAGES_IN_FLIGHT = 5;

type Input = {
  id: string;
  code: string | number;
  ip: string;
  userAgent?: string;
  /** only challenges started for this signed-in user (adding an identity) */
  userId?: string;
  now?: Date;
};

export type VerifiedChallenge = { identity: ParsedIdentity; challenge: Challenge; now: Date };

/**
 * Checks a code (or wallet signature) for an identity and consumes its
 * challenge. `consume` runs inside the transaction that marks the challenge
 * used, so the sign-in it performs commits only if this caller won the code.
 * No code, no challenge, unknown identity and wrong code look the same to the
 * caller except through `attempts_remaining`.
 */
export async function verifyCode<T>(input: Input, consume: (tx: Runner, verified: VerifiedChallenge) => Promise<T>): Promise<T> {
  const cfg = config();
  const now = input.now ?? new Date();
  const identity = parseIdentity(input.id, cfg.DEFAULT_PHONE_REGION);
  await enforce("verifyPerIp", input.ip, now.getTime());

  const failures = RULES.failuresPerIdentity;
  const lock = await peek(failures.key(identity.value), now.getTime());
  if (lock.count >= failures.limit()) throw new ApiError("too_many_attempts", failures.message, { retryAfter: lock.retryAfter });

  // A wallet address may have a few messages out at once (nobody can cancel
  // another person's message by asking for a new one); a code has one.
  const candidates = await q.rows<Challenge>(sql`
    SELECT id, identity_value AS "identityValue", channel, code_hash AS "codeHash", nonce, message, attempts, expires_at AS "expiresAt"
    FROM challenges
    WHERE identity_value = ${identity.value} AND status = 'active' AND ${input.userId ? sql`user_id = ${input.userId}` : sql`user_id IS NULL`}
    ORDER BY created_at DESC
    LIMIT ${identity.type === "crypto" ? WALLET_MESSAGES_IN_FLIGHT : 1}`);
  const newest = candidates[0];
  if (!newest) return fail(input, identity, now, 0);
  // An expired wallet message is one more signature that proves nothing (SPEC §5): invalid_code, not expired_code.
  if (newest.expiresAt <= now && newest.channel === "wallet") return fail(input, identity, now, 0);
  if (newest.expiresAt <= now) throw new ApiError("expired_code", "This code has expired. Ask for a new one.");
  if (newest.attempts >= cfg.CODE_MAX_ATTEMPTS) {
    throw new ApiError("too_many_attempts", "Too many wrong tries: this code no longer works. Ask for a new one.", {
      retryAfter: Math.ceil((newest.expiresAt.getTime() - now.getTime()) / 1000),
    });
  }

  let challenge: Challenge | undefined;
  for (const candidate of candidates) {
    if (candidate.expiresAt > now && candidate.attempts < cfg.CODE_MAX_ATTEMPTS && (await matches(candidate, input.code, now))) {
      challenge = candidate;
      break;
    }
  }
  if (!challenge) {
    const counted = await q.one<{ attempts: number }>(sql`
      UPDATE challenges SET attempts = attempts + 1
      WHERE id = ${newest.id} AND status = 'active' AND attempts < ${cfg.CODE_MAX_ATTEMPTS}
      RETURNING attempts`);
    const remaining = counted ? cfg.CODE_MAX_ATTEMPTS - counted.attempts : 0;
    return fail(input, identity, now, remaining);
  }
  const won = challenge;

  const result = await transaction(async (tx) => {
    const count = await tx.run(sql`
      UPDATE challenges SET status = 'consumed', consumed_at = ${now}
      WHERE id = ${won.id} AND status = 'active' AND expires_at > ${now} AND attempts < ${cfg.CODE_MAX_ATTEMPTS}`);
    if (count !== 1) return { won: false as const };
    return { won: true as const, value: await consume(tx, { identity, challenge: won, now }) };
  });
  // Another request used this code a moment ago.
  if (!result.won) return fail(input, identity, now, 0);
  return result.value;
}

async function matches(challenge: Challenge, code: string | number, now: Date): Promise<boolean> {
  if (challenge.channel === "wallet") {
    const address = parseWalletAddress(challenge.identityValue);
    if (!address || !challenge.message || !challenge.nonce || typeof code !== "string") return false;
    return verifyWalletSignature({
      message: challenge.message,
      signature: code.trim(),
      expected: { address, domain: config().publicHost, nonce: challenge.nonce, now },
    });
  }
  return !!challenge.codeHash && safeEqual(hashCode(challenge.id, normaliseCode(code)), challenge.codeHash);
}

async function fail(input: Input, identity: ParsedIdentity, now: Date, attemptsRemaining: number): Promise<never> {
  const rule = RULES.failuresPerIdentity;
  const counted = await hit(rule.key(identity.value), rule.limit(), rule.windowMs(), now.getTime());
  await recordEvent(q, { type: "sign_in_failed", subject: identity.value, ip: input.ip, userAgent: input.userAgent });
  if (counted.count === rule.limit()) {
    await recordEvent(q, { type: "identity_locked", subject: identity.value, ip: input.ip, userAgent: input.userAgent, detail: { seconds: counted.retryAfter } });
  }
  throw new ApiError("invalid_code", "The code is wrong, or there is no code waiting for this identity.", {
    fields: { attempts_remaining: attemptsRemaining },
  });
}
