import { config } from "@/lib/config";
import { activeById, consumeChallenge, countWrongTry as countWrongTryOn, openMessages, type Challenge } from "@/lib/db/challenges";
import { kysely, transaction, type Tx } from "@/lib/db/kysely";
import { countAndFindCode } from "@/lib/db/sign-ins";
import { recordEvent } from "@/lib/audit/record-event";
import { ApiError } from "@/lib/http/errors";
import { parseIdentity, type ParsedIdentity } from "@/lib/identity/parse-identity";
import { hit, windowOf } from "@/lib/ratelimit/hit";
import { RULES, clientBucket, enforce, enforceCounted, limitWindows, type RuleName } from "@/lib/ratelimit/limits";
import { safeEqual } from "@/lib/tokens/hash";
import { parseWalletAddress } from "@/lib/wallet/parse-address";
import { verifyWalletSignature } from "@/lib/wallet/verify-signature";
import { hashCode, isChallengeId, normaliseCode } from "./code";

// A signature sent without its challenge id is checked against at most this
// many open messages, so one request costs at most this many verifications.
const WALLET_MESSAGES_CHECKED = 5;

type Input = {
  id: string;
  code: string | number;
  /** wallets: the `challenge_id` that sign returned with the message */
  challengeId?: string;
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
export async function verifyCode<T>(input: Input, consume: (tx: Tx, verified: VerifiedChallenge) => Promise<T>): Promise<T> {
  const verified = await checkCode(input);
  const result = await transaction(async (tx) => {
    if (!(await consumeChallenge(tx, verified.challenge.id, verified.now, config().CODE_MAX_ATTEMPTS))) return { won: false as const };
    return { won: true as const, value: await consume(tx, verified) };
  });
  if (!result.won) return codeAlreadyUsed(input, verified);
  return result.value;
}

/**
 * The checks of verifyCode, without consuming: the caller's limits, and the
 * code (or signature) against the identity's challenge. Throws the caller's
 * error for a wrong code (counting it); answers the challenge the code opens,
 * which the caller then consumes with one guarded statement (consumeChallenge
 * or lib/db/sign-ins.ts) — and, when that finds it used, calls codeAlreadyUsed.
 */
export async function checkCode(input: Input): Promise<VerifiedChallenge> {
  const now = input.now ?? new Date();
  const identity = parseIdentity(input.id, config().DEFAULT_PHONE_REGION);
  let found: Found;
  if (identity.type === "crypto") {
    await enforce("verifyPerIp", input.ip, now.getTime());
    found = await findSignedMessage(input, identity.value, now);
  } else found = await findCode(input, identity, now);
  if (!("challenge" in found)) return fail(input, identity, now, found.attemptsRemaining);
  return { identity, challenge: found.challenge, now };
}

/** Another request used this code a moment ago: the same answer as a wrong code. */
export function codeAlreadyUsed(input: Input, { identity, now }: VerifiedChallenge): Promise<never> {
  return fail(input, identity, now, 0);
}

type Found = { challenge: Challenge } | { attemptsRemaining: number };

function owned(input: Input): string | null {
  return input.userId ?? null;
}

function deadChallenge(challenge: Challenge, now: Date): ApiError {
  const what = challenge.channel === "wallet" ? "Too many wrong signatures: this message no longer works." : "Too many wrong tries: this code no longer works.";
  return new ApiError("too_many_attempts", `${what} Ask for a new one.`, {
    reason: "code_dead",
    retryAfter: Math.ceil((challenge.expiresAt.getTime() - now.getTime()) / 1000),
  });
}

/** Counts a wrong try against one challenge; what is left of its tries. */
async function countWrongTry(challenge: Challenge): Promise<number> {
  const max = config().CODE_MAX_ATTEMPTS;
  const attempts = await countWrongTryOn(challenge.id, max);
  return attempts === undefined ? 0 : max - attempts;
}

/** An email or phone identity has one code at a time (a new one supersedes it), under the identity's failure lock. */
async function findCode(input: Input, identity: ParsedIdentity, now: Date): Promise<Found> {
  // One statement on PostgreSQL: count the caller's limit, read the failure lock and the newest code.
  const limits: [RuleName, string][] = [["verifyPerIp", input.ip]];
  const failures = RULES.failuresPerIdentity;
  const lookup = await countAndFindCode({
    counters: limitWindows(limits, now.getTime()),
    lockKey: failures.key(identity.value),
    identityValue: identity.value,
    owner: owned(input),
    now: now.getTime(),
  });
  enforceCounted(limits, lookup.counted, now.getTime());
  const lock = windowOf(lookup.lock, now.getTime());
  if (lock.count >= failures.limit()) throw new ApiError("too_many_attempts", failures.message, { reason: failures.reason, retryAfter: lock.retryAfter });

  const newest = lookup.newest;
  if (!newest) return { attemptsRemaining: 0 };
  if (newest.expiresAt <= now) throw new ApiError("expired_code", "This code has expired. Ask for a new one.");
  if (newest.attempts >= config().CODE_MAX_ATTEMPTS) throw deadChallenge(newest, now);
  const code = normaliseCode(input.code);
  if (newest.codeHash && safeEqual(hashCode(newest.id, code), newest.codeHash)) return { challenge: newest };
  return { attemptsRemaining: await countWrongTry(newest) };
}

/**
 * A wallet address may have several messages out at once, and anyone can ask
 * for more (its address is public), so a message is found by what only its
 * requester knows: the `challenge_id` sign returned — then wrong signatures use
 * up that message's tries and nothing else's — or, for clients that do not send
 * it, the signature itself, checked against a few open messages, those asked
 * for from the caller's own network first. Either way a stranger who knows only
 * the address can neither push a message out of reach nor use up its tries.
 */
async function findSignedMessage(input: Input, address: string, now: Date): Promise<Found> {
  const max = config().CODE_MAX_ATTEMPTS;
  if (input.challengeId) {
    if (!isChallengeId(input.challengeId)) return { attemptsRemaining: 0 };
    const named = await activeById(input.challengeId, address, owned(input));
    // An expired message is one more signature that proves nothing (SPEC §5): invalid_code, not expired_code.
    if (!named || named.expiresAt <= now) return { attemptsRemaining: 0 };
    if (named.attempts >= max) throw deadChallenge(named, now);
    if (await signatureMatches(named, input.code, now)) return { challenge: named };
    return { attemptsRemaining: await countWrongTry(named) };
  }

  const open = await openMessages({ address, owner: owned(input), now, maxAttempts: max, requestedFrom: clientBucket(input.ip), limit: WALLET_MESSAGES_CHECKED });
  for (const candidate of open) {
    if (await signatureMatches(candidate, input.code, now)) return { challenge: candidate };
  }
  // Counted against no message: without its id, a wrong signature could be anyone's.
  return { attemptsRemaining: Math.max(0, ...open.map((c) => max - c.attempts)) };
}

async function signatureMatches(challenge: Challenge, code: string | number, now: Date): Promise<boolean> {
  const address = parseWalletAddress(challenge.identityValue);
  if (!address || !challenge.message || !challenge.nonce || typeof code !== "string") return false;
  return verifyWalletSignature({
    message: challenge.message,
    signature: code.trim(),
    expected: { address, domain: config().publicHost, nonce: challenge.nonce, now },
  });
}

async function fail(input: Input, identity: ParsedIdentity, now: Date, attemptsRemaining: number): Promise<never> {
  // Signatures cannot be guessed, so a failure lock on a wallet address would protect
  // nothing and only let strangers lock its owner out; per-IP limits still apply.
  const rule = RULES.failuresPerIdentity;
  const counted = identity.type === "crypto" ? null : await hit(rule.key(identity.value), rule.limit(), rule.windowMs(), now.getTime());
  await recordEvent(kysely(), { type: "sign_in_failed", subject: identity.value, ip: input.ip, userAgent: input.userAgent });
  if (counted?.count === rule.limit()) {
    await recordEvent(kysely(), { type: "identity_locked", subject: identity.value, ip: input.ip, userAgent: input.userAgent, detail: { seconds: counted.retryAfter } });
  }
  throw new ApiError("invalid_code", "The code is wrong, or there is no code waiting for this identity.", {
    fields: { attempts_remaining: attemptsRemaining },
  });
}
