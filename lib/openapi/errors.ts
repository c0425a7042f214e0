import { z } from "zod";
import { ERROR_REASONS, ERROR_STATUS, type ErrorCode, type ErrorReason } from "@/lib/http/errors";

/**
 * What each error code means to an integrator. Typed by ErrorCode, so a new
 * code in lib/http/errors.ts does not compile until it is explained here.
 */
export const ERROR_MEANING: Record<ErrorCode, string> = {
  invalid_request: "The body is not JSON, not an object, or a field is missing or of the wrong type.",
  invalid_identity: "`id` is not an email address, a valid phone number or a wallet address.",
  invalid_code: "The code is wrong (or there is no code waiting). `attempts_remaining` says how many tries are left.",
  expired_code: "The code has expired; ask for a new one.",
  invalid_grant: "The refresh token is unknown, expired, revoked or was already used (reuse ends the session).",
  unsupported_grant_type: "`grant_type` is not `refresh_token`.",
  invalid_token: "No access token, or it is invalid, expired, or its session has ended.",
  access_denied: "The person on the phone denied the sign-in.",
  region_not_allowed: "SMS and voice codes are not sent to this number's country.",
  not_found: "There is no endpoint at this path.",
  qr_not_found: "No QR sign-in has this token.",
  method_not_allowed: "This path does not accept this HTTP method.",
  qr_already_used: "The QR sign-in was already scanned by another account or decided.",
  expired_token: "The QR sign-in expired before it was approved.",
  qr_consumed: "The approval was already collected by an earlier poll.",
  payload_too_large: "The body is larger than 16 KiB.",
  rate_limited: "Too many requests; wait for the number of seconds in `Retry-After`.",
  too_many_attempts: "Too many wrong codes: the code is dead, or the identity is locked until `Retry-After`.",
  slow_down: "Polled faster than once a second; wait for `Retry-After`.",
  server_error: "An unexpected error; quote `error_id` when reporting it.",
  delivery_failed: "The email, SMS or voice provider refused the message; no code was left usable.",
  temporarily_unavailable: "The server is restarting or the database is unreachable; retry after `Retry-After`.",
};

/** What each `reason` says about its code: the one to branch on when a code has several causes. */
export const REASON_MEANING: Record<ErrorReason, string> = {
  ip_limit: "`rate_limited`: too many requests of this kind from the caller's network (an IPv6 client counts by its /64).",
  resend_cooldown: "`rate_limited` from sign: a code went to this identity less than `resend_after` seconds ago; it is still valid, so let the person type it.",
  sends_per_identity: "`rate_limited` from sign: too many codes went to this identity in the last hour.",
  sms_hourly_cap: "`rate_limited` from sign: the portal's hourly cap of text messages and calls is reached; email still works.",
  identity_locked: "`too_many_attempts` from verify: too many failed verifications locked this email or phone identity until `Retry-After`.",
  code_dead: "`too_many_attempts` from verify: five wrong tries killed this code (or signed message); ask for a new one.",
  unrecognised_identity: "`invalid_identity`: `id` is not an email address, a phone number or a wallet address the portal accepts.",
};

export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The error envelope of SPEC §3, with the codes one response may carry. */
export function errorEnvelope(codes: readonly ErrorCode[] = ERROR_CODES) {
  return z.object({
    error: z.enum(codes as [ErrorCode, ...ErrorCode[]]).meta({ description: "Machine-readable error code." }),
    error_description: z.string().meta({ description: "A sentence for the developer; not meant for end users verbatim." }),
    reason: z
      .enum(ERROR_REASONS)
      .optional()
      .meta({
        description: `Which cause behind \`error\` it was, where a client may act differently on each (branch on this, never on \`error_description\`): ${Object.entries(REASON_MEANING)
          .map(([reason, meaning]) => `\`${reason}\` — ${meaning}`)
          .join(" ")}`,
      }),
    attempts_remaining: z.number().int().nonnegative().optional().meta({ description: "Only with `invalid_code`: wrong tries left for this code." }),
    error_id: z.string().optional().meta({ description: "Only with `server_error`: the id of the server's log line." }),
  });
}

export const apiError = errorEnvelope().meta({ id: "Error", description: "Every error answer: `{error, error_description}` plus the fields noted." });

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
