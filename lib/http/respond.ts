import { randomUUID } from "node:crypto";
import { ApiError, errorBody } from "./errors";
import { log } from "@/lib/log";

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
  return json(errorBody(error.code, error.description, error.extra.fields), error.status, headers);
}

/** An unexpected error: a generic 500 whose id is also in the log line. */
export function unexpected(error: unknown, request?: Request): Response {
  const errorId = randomUUID();
  log("error", "unexpected error", {
    error_id: errorId,
    request_id: request?.headers.get("x-request-id") ?? undefined,
    path: request ? new URL(request.url).pathname.replace(/wrf[\w-]+/g, "wrf…") : undefined,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    stack: error instanceof Error ? error.stack?.split("\n").slice(1, 6).join(" | ") : undefined,
  });
  return json(errorBody("server_error", `Something went wrong on our side. Quote error id ${errorId} when reporting it.`, { error_id: errorId }), 500);
}
