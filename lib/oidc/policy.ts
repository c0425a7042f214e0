import { interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import { browserPortalSession } from "./portal-session";

const { Check, base } = interactionPolicy;

/**
 * oidc-provider's default prompts, plus one login check: the provider's own
 * session only counts while this browser is still signed in to the portal as
 * the same user. Signing out of the portal (or being signed out from another
 * device) therefore signs the browser out of every app's next authorization too.
 */
export function interactionPolicyWithPortalSession() {
  const policy = base();
  const login = policy.get("login");
  login?.checks.add(
    new Check("portal_session_ended", "End-User is no longer signed in to the portal", "login_required", async (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session.accountId;
      if (!accountId) return Check.NO_NEED_TO_PROMPT;
      const cookie = ctx.req.headers.cookie;
      const portal = await browserPortalSession(Array.isArray(cookie) ? cookie.join("; ") : cookie);
      return portal?.userId === accountId ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
    1,
  );
  return policy;
}
