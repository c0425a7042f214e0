import { browserPortalSession } from "./portal-session";
import { interactionPath, openInteraction } from "./interaction";
import { amrFor, needsFreshSignIn } from "./sign-in-freshness";

export type Next = { kind: "redirect"; location: string } | { kind: "expired" } | { kind: "account_changed" };

export function loginPath(uid: string): string {
  const next = interactionPath(uid);
  return `/login?${new URLSearchParams({ next, interaction: uid })}`;
}

/**
 * GET /oidc/interaction/<uid>, where oidc-provider sends the browser when it
 * needs the user. Login: a live portal session that is fresh enough finishes
 * it at once; otherwise the portal's own /login runs and comes back here.
 * Consent: the consent page, for the same user the login was for.
 */
export async function continueInteraction({ uid, headers, now = new Date() }: { uid: string; headers: Headers; now?: Date }): Promise<Next> {
  const open = await openInteraction({ uid, headers });
  if (!open) return { kind: "expired" };
  const { interaction } = open;
  const portal = await browserPortalSession(headers.get("cookie"), now);
  if (!portal) return { kind: "redirect", location: loginPath(uid) };

  if (interaction.prompt.name === "login") {
    if (needsFreshSignIn(interaction, portal.signedInAt, now)) return { kind: "redirect", location: loginPath(uid) };
    const location = await open.finish({
      login: { accountId: portal.userId, ts: Math.floor(portal.signedInAt.getTime() / 1000), amr: amrFor(portal.via), remember: true },
    });
    return { kind: "redirect", location };
  }

  if (interaction.prompt.name === "consent") {
    if (interaction.session?.accountId !== portal.userId) return { kind: "account_changed" };
    return { kind: "redirect", location: `${interactionPath(uid)}/consent` };
  }
  return { kind: "expired" };
}
