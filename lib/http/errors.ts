import { describeError, log } from "@/lib/log";
import { errorBody as envelope } from "./envelope.mjs";

/**
 * The one error type of the API and the one table from its codes to HTTP
 * statuses (SPEC §3). The message is for developers; it never carries a
 * library's internal error text — that goes in `cause`, which is logged.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_identity: 400,
  invalid_code: 400,
  expired_code: 400,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  invalid_token: 401,
  access_denied: 403,
  region_not_allowed: 403,
  not_found: 404,
  qr_not_found: 404,
  method_not_allowed: 405,
  qr_already_used: 409,
  expired_token: 410,
  qr_consumed: 410,
  payload_too_large: 413,
  rate_limited: 429,
  too_many_attempts: 429,
  slow_down: 429,
  server_error: 500,
  delivery_failed: 503,
  temporarily_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Which of several causes behind one code it was, for callers (the portal's own
 * pages included) that act differently on each: they branch on this, never on
 * the sentence. Explained to integrators in lib/openapi/errors.ts.
 */
export const ERROR_REASONS = [
  "ip_limit",
  "resend_cooldown",
  "sends_per_identity",
  "sms_hourly_cap",
  "identity_locked",
  "code_dead",
  "unrecognised_identity",
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

export type ApiErrorOptions = {
  retryAfter?: number;
  /** More fields of the envelope (e.g. `attempts_remaining`). */
  fields?: Record<string, unknown>;
  headers?: Record<string, string>;
  reason?: ErrorReason;
  /** What really went wrong (a library's error, a provider's answer): logged with the request id, never sent. */
  cause?: unknown;
};

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly description: string,
    readonly extra: ApiErrorOptions = {},
  ) {
    super(`${code}: ${description}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "ApiError";
    this.status = ERROR_STATUS[code];
  }
}

/** The envelope of SPEC §3 for one of the API's codes. */
export function errorBody(code: ErrorCode, description: string, fields: Record<string, unknown> = {}) {
  return envelope(code, description, fields);
}

/**
 * The envelope an ApiError goes out as. Its cause, if any, is logged on the way
 * (the line carries the request id): as an error when the fault is ours or a
 * provider's (5xx), as information when the caller's request was refused. `retryAfterInBody` is for answers that
 * cannot carry a Retry-After header: next-auth's error string, a server action.
 */
export function envelopeOf(error: ApiError, options: { retryAfterInBody?: boolean } = {}) {
  if (error.cause !== undefined) {
    const ours = error.status >= 500;
    log(ours ? "error" : "info", ours ? "request failed" : "request refused", { error: error.code, reason: error.extra.reason, cause: describeError(error.cause) });
  }
  return envelope(error.code, error.description, {
    reason: error.extra.reason,
    retry_after: options.retryAfterInBody ? error.extra.retryAfter : undefined,
    ...error.extra.fields,
  });
}
