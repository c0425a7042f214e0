/**
 * The one error type of the API and the one table from its codes to HTTP
 * statuses (SPEC §3). The message is for developers; it never carries a
 * library's internal error text.
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
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_attempts: 429,
  slow_down: 429,
  server_error: 500,
  delivery_failed: 503,
  temporarily_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly description: string,
    readonly extra: { retryAfter?: number; fields?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(`${code}: ${description}`);
    this.name = "ApiError";
    this.status = ERROR_STATUS[code];
  }
}

export function errorBody(code: ErrorCode, description: string, fields: Record<string, unknown> = {}) {
  return { error: code, error_description: description, ...fields };
}
