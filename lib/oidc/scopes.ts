/** What each scope lets an app see: the consent page's sentence, and the account page's short form. */
export const SCOPE_WORDS: Record<string, { label: string; short: string; claims: string[] }> = {
  openid: { label: "Know it's you: a stable account ID for this app", short: "your account ID", claims: ["sub"] },
  email: { label: "Your email address", short: "email address", claims: ["email", "email_verified"] },
  phone: { label: "Your phone number", short: "phone number", claims: ["phone_number", "phone_number_verified"] },
  wallet: { label: "Your wallet address", short: "wallet address", claims: ["wallet_address"] },
  offline_access: { label: "Keep you signed in when you're not using it", short: "stays signed in", claims: [] },
};

export function describeScopes(scope: string | string[]): { scope: string; label: string; short: string }[] {
  const list = Array.isArray(scope) ? scope : scope.split(" ");
  return list.filter((s) => s in SCOPE_WORDS).map((s) => ({ scope: s, label: SCOPE_WORDS[s].label, short: SCOPE_WORDS[s].short }));
}
