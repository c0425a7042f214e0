import { listUserIdentities } from "@/lib/db/identities";
import { kysely } from "@/lib/db/kysely";
import { oidcClientName } from "@/lib/db/oidc-clients";
import { browserPortalSession } from "./portal-session";
import { openInteraction } from "./interaction";
import { describeScopes } from "./scopes";

export type ConsentRequest =
  | { kind: "ask"; clientName: string; clientId: string; returnHost: string; signedInAs: string; items: { scope: string; label: string; available: boolean }[] }
  | { kind: "sign_in" }
  | { kind: "expired" }
  | { kind: "account_changed" };

function returnHost(redirectUri: unknown): string {
  try {
    return new URL(String(redirectUri)).host;
  } catch {
    return "";
  }
}

/** What the consent page shows: the app, the user it is for, and each thing the app asked to see. */
export async function consentRequest({ uid, headers }: { uid: string; headers: Headers }): Promise<ConsentRequest> {
  const open = await openInteraction({ uid, headers });
  if (!open || open.interaction.prompt.name !== "consent") return { kind: "expired" };
  const { interaction } = open;
  const portal = await browserPortalSession(headers.get("cookie"));
  if (!portal) return { kind: "sign_in" };
  if (interaction.session?.accountId !== portal.userId) return { kind: "account_changed" };
  const clientId = String(interaction.params.client_id ?? "");
  const [clientName, identities] = await Promise.all([oidcClientName(kysely(), clientId), listUserIdentities(kysely(), portal.userId)]);
  const has = (types: string[]) => identities.some((i) => types.includes(i.type));
  const available: Record<string, boolean> = { email: has(["email"]), phone: has(["mobile_number", "phone_number"]), wallet: has(["crypto"]) };
  return {
    kind: "ask",
    clientName: clientName ?? clientId,
    clientId,
    returnHost: returnHost(interaction.params.redirect_uri),
    signedInAs: identities[0]?.value ?? portal.userId,
    items: describeScopes(String(interaction.params.scope ?? "openid")).map((item) => ({ ...item, available: available[item.scope] ?? true })),
  };
}
