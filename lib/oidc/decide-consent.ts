import { oidcClientName } from "@/lib/db/oidc-clients";
import { recordEvent } from "@/lib/audit/record-event";
import { rememberConsent } from "./consents";
import { openInteraction } from "./interaction";
import { browserPortalSession } from "./portal-session";
import { inTransaction } from "./store";

export type ConsentOutcome = { kind: "redirect"; location: string } | { kind: "expired" } | { kind: "account_changed" };

type Input = { uid: string; headers: Headers; decision: "approve" | "deny"; ip?: string; userAgent?: string; now?: Date };

/**
 * The user's answer on the consent page. Approve: the grant gets what the app
 * asked for, the decision is remembered for this user and app, and the audit
 * row commits with both. Deny: the app gets access_denied.
 */
export async function decideConsent(input: Input): Promise<ConsentOutcome> {
  const now = input.now ?? new Date();
  const open = await openInteraction({ uid: input.uid, headers: input.headers });
  if (!open || open.interaction.prompt.name !== "consent") return { kind: "expired" };
  const { interaction, provider } = open;
  const portal = await browserPortalSession(input.headers.get("cookie"), now);
  const accountId = interaction.session?.accountId;
  if (!portal || !accountId || portal.userId !== accountId) return { kind: "account_changed" };
  const clientId = String(interaction.params.client_id ?? "");

  if (input.decision === "deny") {
    const location = await open.finish({ error: "access_denied", error_description: "The user did not allow this app to use their account." });
    return { kind: "redirect", location };
  }

  const details = interaction.prompt.details;
  const grantId = await inTransaction(async (tx) => {
    const grant = (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    const scope = String(interaction.params.scope ?? "openid").split(" ").filter(Boolean);
    grant.addOIDCScope((details.missingOIDCScope ?? scope).join(" ") || "openid");
    if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
    const id = await grant.save();
    const clientName = await oidcClientName(tx, clientId);
    const consent = await rememberConsent(tx, { userId: accountId, clientId, scope: grant.getOIDCScope().split(" "), claims: details.missingOIDCClaims ?? [], now });
    await recordEvent(tx, {
      type: "oidc_consent_granted",
      userId: accountId,
      sessionId: portal.sessionId,
      ip: input.ip,
      userAgent: input.userAgent,
      detail: { client_id: clientId, client_name: clientName ?? null, scope: consent.scope },
    });
    return id;
  });
  const location = await open.finish({ consent: { grantId } });
  return { kind: "redirect", location };
}
