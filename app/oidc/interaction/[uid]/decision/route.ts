import { config } from "@/lib/config";
import { route } from "@/lib/http/route";
import { decideConsent } from "@/lib/oidc/decide-consent";
import { interactionResponse } from "@/lib/oidc/interaction-response";

/**
 * A post from another site carries no interaction cookie (SameSite=Lax); the
 * browser's own word is checked first. Origin is "null" on our form posts
 * (Referrer-Policy: no-referrer), so Sec-Fetch-Site decides when it is.
 */
function fromAnotherSite(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin && origin !== "null" && origin !== config().publicOrigin) return true;
  const site = headers.get("sec-fetch-site");
  return !!site && site !== "same-origin";
}

// The consent form posts here.
export const POST = route<{ uid: string }, Request>(async ({ request, ip, userAgent }, { uid }) => {
  if (fromAnotherSite(request.headers)) return interactionResponse({ kind: "forbidden" });
  const form = await request.formData().catch(() => null);
  const decision = form?.get("decision") === "approve" ? "approve" : "deny";
  return interactionResponse(await decideConsent({ uid, headers: request.headers, decision, ip, userAgent }));
});
