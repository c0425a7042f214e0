import { authenticateBearer, type Principal } from "@/lib/auth/authenticate";
import { getPortalSession } from "@/lib/auth/portal-session";
import { config } from "@/lib/config";
import { ApiError } from "@/lib/http/errors";
import type { HotRequest } from "@/lib/http/hot-request";

/**
 * Who is scanning or answering a QR login: the Bearer token's user (apps), or
 * the portal's own browser session (the phone page). A cookie-authenticated
 * request must come from the portal's own pages — a POST must carry our
 * Origin — so another site cannot approve a login in a signed-in browser.
 */
export async function resolveApprover(request: HotRequest): Promise<Principal> {
  if (request.headers.has("authorization")) return authenticateBearer(request);
  const session = await getPortalSession();
  if (!session) {
    throw new ApiError("invalid_token", "Sign in first: send an access token as `Authorization: Bearer <token>`, or use the portal's browser session.");
  }
  const site = request.headers.get("sec-fetch-site");
  const crossSite = site !== null && site !== "same-origin" && site !== "none";
  const foreignPost = request.method !== "GET" && request.headers.get("origin") !== config().publicOrigin;
  if (crossSite || foreignPost) throw new ApiError("access_denied", "Requests from other sites cannot act with the portal's browser session.");
  return session;
}
