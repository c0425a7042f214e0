import type { BaseTokenInstance, ClaimsAccount, KoaContextWithOIDC } from "oidc-provider";
import { kysely } from "@/lib/db/kysely";
import { userWithIdentities } from "@/lib/db/users";
import { appSessionState } from "./app-session";

export type PortalClaims = {
  sub: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  wallet_address?: string;
};

// Tokens whose use means "the app is acting for the user now": each checks the app's session is still signed in.
const SESSION_BOUND = new Set(["AuthorizationCode", "AccessToken", "RefreshToken"]);

/** The claims of SPEC §8 from the user's identities, oldest of each kind first. Every identity is verified. */
export async function claimsFor(userId: string): Promise<PortalClaims | null> {
  // One row per identity, oldest first (one row with no identity for a user without any); none for no user.
  const rows = await userWithIdentities(kysely(), userId);
  if (!rows.length) return null;
  const identities = rows.flatMap((i) => (i.type && i.value ? [{ type: i.type, value: i.value }] : []));
  const email = identities.find((i) => i.type === "email");
  const phone = identities.find((i) => i.type === "mobile_number") ?? identities.find((i) => i.type === "phone_number");
  const wallet = identities.find((i) => i.type === "crypto");
  return {
    sub: userId,
    ...(email ? { email: email.value, email_verified: true } : {}),
    ...(phone ? { phone_number: phone.value, phone_number_verified: true } : {}),
    ...(wallet ? { wallet_address: wallet.value } : {}),
  };
}

/**
 * oidc-provider's findAccount. A code or token is refused once the user
 * signed the app's session out (account page, sign out everywhere, logout):
 * the provider then answers invalid_grant / invalid_token.
 */
export async function findAccount(_ctx: KoaContextWithOIDC, sub: string, token?: BaseTokenInstance): Promise<ClaimsAccount | undefined> {
  if (token && SESSION_BOUND.has(token.kind)) {
    if (!token.grantId || (await appSessionState(token.grantId, sub)) !== "alive") return undefined;
  }
  const claims = await claimsFor(sub);
  if (!claims) return undefined;
  return { accountId: sub, claims: () => claims };
}
