import { kysely } from "@/lib/db/kysely";
import { oidcClientName } from "@/lib/db/oidc-clients";
import { findSession } from "@/lib/db/sessions";
import { peekInteraction } from "./interaction";
import { needsFreshSignIn } from "./sign-in-freshness";

export type LoginRequest = { clientName: string; loginHint?: string; mustSignIn: boolean };

/**
 * For /login reached from an app (`?interaction=<uid>`): the app's name as
 * registered (never a query parameter), its login_hint, and whether the
 * current sign-in is too old for it (prompt=login, max_age), in which case
 * the page shows the form instead of passing straight through.
 */
export async function describeLoginRequest({ uid, sessionId, now = new Date() }: { uid: string; sessionId?: string; now?: Date }): Promise<LoginRequest | null> {
  const interaction = await peekInteraction(uid).catch(() => null);
  if (!interaction || interaction.prompt.name !== "login") return null;
  const clientId = String(interaction.params.client_id ?? "");
  const [clientName, session] = await Promise.all([oidcClientName(kysely(), clientId), sessionId ? findSession(kysely(), sessionId) : undefined]);
  if (clientName === undefined) return null;
  const hint = typeof interaction.params.login_hint === "string" ? interaction.params.login_hint.slice(0, 320) : undefined;
  return {
    clientName,
    loginHint: hint || undefined,
    mustSignIn: session ? needsFreshSignIn(interaction, session.createdAt, now) : true,
  };
}
