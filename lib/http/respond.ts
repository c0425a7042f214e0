import { randomUUID } from "node:crypto";
import { ApiError, envelopeOf, errorBody } from "./errors";
import type { HotRequest } from "./hot-request";
import { describeError, log, redact } from "@/lib/log";

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(error: ApiError): Response {
  const headers: Record<string, string> = { ...error.extra.headers };
  if (error.extra.retryAfter !== undefined || error.status === 429) {
    headers["retry-after"] = String(Math.max(1, Math.ceil(error.extra.retryAfter ?? 1)));
  }
  if (error.status === 401) headers["www-authenticate"] = `Bearer error="${error.code}"`;
  return json(envelopeOf(error), error.status, headers);
}

/** An unexpected error: a generic 500 whose id is also in the log line (which carries the request id). */
export function unexpected(error: unknown, request?: HotRequest): Response {
  const errorId = randomUUID();
  log("error", "unexpected error", {
    error_id: errorId,
    path: request ? redact(new URL(request.url).pathname) : undefined,
    error: describeError(error),
    stack: error instanceof Error ? redact(error.stack?.split("\n").slice(1, 6).join(" | ") ?? "") : undefined,
  });
  return json(errorBody("server_error", `Something went wrong on our side. Quote error id ${errorId} when reporting it.`, { error_id: errorId }), 500);
}
