import { signOut } from "@/lib/account/sign-out";
import { browserPortalSession, portalCookieNames } from "./portal-session";

/**
 * RP-initiated logout also signs the browser out of the portal — but only when
 * the portal session belongs to the user whose provider session just ended
 * (oidc-provider also logs a previous user out this way when someone else
 * signs in mid-request; that must not end the new user's session).
 * Returns the Set-Cookie values that expire next-auth's cookies.
 */
export async function endPortalSession(input: { cookieHeader?: string; accountId?: string; ip?: string; userAgent?: string; secure: boolean }): Promise<string[]> {
  const portal = await browserPortalSession(input.cookieHeader);
  if (!portal || !input.accountId || portal.userId !== input.accountId) return [];
  await signOut({ userId: portal.userId, sessionId: portal.sessionId, ip: input.ip, userAgent: input.userAgent });
  return portalCookieNames(input.cookieHeader).map(
    (name) => `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${input.secure || /^__(Secure|Host)-/.test(name) ? "; Secure" : ""}`,
  );
}
