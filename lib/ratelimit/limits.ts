import { config } from "@/lib/config";
import { ApiError, type ErrorCode, type ErrorReason } from "@/lib/http/errors";
import type { Bucket } from "@/lib/db/rate-limit-buckets";
import { hitMany, judge, windows, type Counter } from "./hit";
import { ipBucket } from "./ip-bucket.mjs";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Rule = {
  key: (subject: string) => string;
  limit: () => number;
  windowMs: () => number;
  code: ErrorCode;
  /** Sent with the code, so a caller can tell this limit from the others without reading `message`. */
  reason: ErrorReason;
  message: string;
};

/** What a per-IP rule counts: the client's bucket (an IPv6 client by its prefix, IPV6_PREFIX_BITS), never its exact address. */
export function clientBucket(ip: string): string {
  return ipBucket(ip, config().IPV6_PREFIX_BITS);
}

/** Every limit of SPEC §4 in one table: what is counted, how many, over what window. */
export const RULES = {
  signPerIp: {
    key: (ip) => `sign:ip:${clientBucket(ip)}`,
    limit: () => config().SIGN_PER_IP_PER_10_MIN,
    windowMs: () => 10 * MINUTE,
    code: "rate_limited",
    reason: "ip_limit",
    message: "Too many sign-in requests from this address. Wait and try again.",
  },
  verifyPerIp: {
    key: (ip) => `verify:ip:${clientBucket(ip)}`,
    limit: () => config().VERIFY_PER_IP_PER_10_MIN,
    windowMs: () => 10 * MINUTE,
    code: "rate_limited",
    reason: "ip_limit",
    message: "Too many verification attempts from this address. Wait and try again.",
  },
  qrPerIp: {
    key: (ip) => `qr:ip:${clientBucket(ip)}`,
    limit: () => config().QR_PER_IP_PER_10_MIN,
    windowMs: () => 10 * MINUTE,
    code: "rate_limited",
    reason: "ip_limit",
    message: "Too many QR codes requested from this address. Wait and try again.",
  },
  // A screen long-polls about twice a minute, or short-polls every 2 s (30 a minute): the default leaves room for an office of screens behind one address.
  qrPollPerIp: {
    key: (ip) => `qr-poll:ip:${clientBucket(ip)}`,
    limit: () => config().QR_POLL_PER_IP_PER_MINUTE,
    windowMs: () => MINUTE,
    code: "rate_limited",
    reason: "ip_limit",
    message: "Too many QR polls from this address. Wait and poll again.",
  },
  resendCooldown: {
    key: (identity) => `cooldown:${identity}`,
    limit: () => 1,
    windowMs: () => config().RESEND_COOLDOWN_SECONDS * 1000,
    code: "rate_limited",
    reason: "resend_cooldown",
    message: "A code was sent to this identity moments ago. Wait before asking for another.",
  },
  sendsPerIdentity: {
    key: (identity) => `sends:${identity}`,
    limit: () => config().SENDS_PER_IDENTITY_PER_HOUR,
    windowMs: () => HOUR,
    code: "rate_limited",
    reason: "sends_per_identity",
    message: "Too many codes were sent to this identity in the last hour.",
  },
  smsPerHour: {
    key: () => "sms:global",
    limit: () => config().SMS_MAX_PER_HOUR,
    windowMs: () => HOUR,
    code: "rate_limited",
    reason: "sms_hourly_cap",
    message: "The portal has reached its hourly limit of text messages and calls. Try email, or try again later.",
  },
  failuresPerIdentity: {
    key: (identity) => `failures:${identity}`,
    limit: () => config().FAILED_VERIFICATIONS_PER_HOUR,
    windowMs: () => HOUR,
    code: "too_many_attempts",
    reason: "identity_locked",
    message: "Too many failed attempts for this identity. It is locked for now.",
  },
  // Each new OpenID Connect authorization request stores an interaction for up to 30 minutes.
  oidcAuthorizationsPerIp: {
    key: (ip) => `oidc:auth:ip:${clientBucket(ip)}`,
    limit: () => 300,
    windowMs: () => 10 * MINUTE,
    code: "rate_limited",
    reason: "ip_limit",
    message: "Too many sign-ins were started from your network. Wait and try again.",
  },
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof RULES;

/**
 * Counts one event against each rule, all in one statement; throws the 429
 * (with Retry-After) of the first rule that is over its limit.
 */
export async function enforceAll(checks: [RuleName, string][], now = Date.now()): Promise<void> {
  throwIfOver(checks, await hitMany(counters(checks), now));
}

function counters(checks: [RuleName, string][]): Counter[] {
  return checks.map(([name, subject]) => {
    const rule = RULES[name] as Rule;
    return { key: rule.key(subject), limit: rule.limit(), windowMs: rule.windowMs() };
  });
}

/** What to count for `checks`, for a statement that counts them together with other work; judge its rows with enforceCounted. */
export function limitWindows(checks: [RuleName, string][], now: number): { key: string; resetAt: number }[] {
  return windows(counters(checks), now);
}

/** enforceAll's verdict on rows that counted limitWindows(checks). */
export function enforceCounted(checks: [RuleName, string][], rows: Bucket[], now: number): void {
  throwIfOver(checks, judge(counters(checks), rows, now));
}

function throwIfOver(checks: [RuleName, string][], results: { allowed: boolean; retryAfter: number }[]): void {
  const rules = checks.map(([name]) => ({ rule: RULES[name] as Rule }));
  const first = results.findIndex((r) => !r.allowed);
  if (first >= 0) {
    const { rule } = rules[first];
    throw new ApiError(rule.code, rule.message, { reason: rule.reason, retryAfter: results[first].retryAfter });
  }
}

export async function enforce(rule: RuleName, subject: string, now = Date.now()): Promise<void> {
  await enforceAll([[rule, subject]], now);
}
