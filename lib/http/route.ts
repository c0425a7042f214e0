import { ApiError } from "./errors";
import type { HotRequest } from "./hot-request";
import { errorResponse, unexpected } from "./respond";

export type RequestContext<R extends HotRequest = HotRequest> = {
  /** Only what every way of serving the route provides (lib/http/hot-request.ts); routes Next alone serves may ask for a Request. */
  request: R;
  /** The client's address as server.mts decided it (socket, or X-Forwarded-For from a trusted proxy). */
  ip: string;
  userAgent: string;
  requestId: string;
};

export function requestContext<R extends HotRequest>(request: R): RequestContext<R> {
  const headers = request.headers;
  return {
    request,
    ip: headers.get("x-werify-client-ip") ?? "unknown",
    userAgent: (headers.get("user-agent") ?? "").slice(0, 512),
    requestId: headers.get("x-request-id") ?? "",
  };
}

/**
 * Wraps a route handler once: context in, ApiError → its status and envelope
 * (its cause logged), anything else → a generic 500 with an id in the log.
 * Log lines carry the request id through the context server.mts opened.
 */
export function route<P = Record<string, string | string[]>, R extends HotRequest = HotRequest>(
  handler: (ctx: RequestContext<R>, params: P) => Promise<Response> | Response,
) {
  return async (request: R, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = await segment.params;
      return await handler(requestContext(request), params);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      return unexpected(error, request);
    }
  };
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Handlers for the methods a route does not take: `405 method_not_allowed` in
 * the envelope, with `Allow` (Next's own 405 has an empty body). A route file
 * exports them beside its own: `export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST")`.
 */
export function otherMethods(...accepted: Method[]): Record<Method, ReturnType<typeof route>> {
  const allow = accepted.join(", ");
  const refuse = route(() => {
    throw new ApiError("method_not_allowed", `This endpoint accepts ${accepted.join(" and ")} only.`, { headers: { allow } });
  });
  return Object.fromEntries(METHODS.map((method) => [method, refuse])) as Record<Method, ReturnType<typeof route>>;
}
