import { ApiError } from "./errors";
import { errorResponse, unexpected } from "./respond";

export type RequestContext = {
  request: Request;
  /** The client's address as server.mjs decided it (socket, or X-Forwarded-For from a trusted proxy). */
  ip: string;
  userAgent: string;
  requestId: string;
};

export function requestContext(request: Request): RequestContext {
  const headers = request.headers;
  return {
    request,
    ip: headers.get("x-werify-client-ip") ?? "unknown",
    userAgent: (headers.get("user-agent") ?? "").slice(0, 512),
    requestId: headers.get("x-request-id") ?? "",
  };
}

/**
 * Wraps a route handler once: context in, ApiError → its status and envelope,
 * anything else → a generic 500 with an id in the log.
 */
export function route<P = Record<string, string | string[]>>(
  handler: (ctx: RequestContext, params: P) => Promise<Response> | Response,
) {
  return async (request: Request, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = await segment.params;
      return await handler(requestContext(request), params);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      return unexpected(error, request);
    }
  };
}
