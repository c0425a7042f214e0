import type { CookiesOptions } from "next-auth";
import { config } from "@/lib/config";

/** Every browser cookie is Secure when the portal is served over https (PUBLIC_URL), whatever the request in hand says. */
export function secureCookies(): boolean {
  return config().publicOrigin.startsWith("https:");
}

/**
 * next-auth's session cookie. Over https it is `__Host-`: Secure, Path=/, no
 * Domain, so no other host (a sibling subdomain included) can plant or
 * overwrite it. Anything that reads the session by name reads this one.
 */
export function sessionCookieName(secure = secureCookies()): string {
  return `${secure ? "__Host-" : ""}next-auth.session-token`;
}

/** The cookies next-auth sets (only these three are ever used with the credentials provider), named and flagged alike. */
export function nextAuthCookies(secure = secureCookies()): Partial<CookiesOptions> {
  const prefix = secure ? "__Host-" : "";
  const options = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  return {
    sessionToken: { name: sessionCookieName(secure), options },
    csrfToken: { name: `${prefix}next-auth.csrf-token`, options },
    callbackUrl: { name: `${prefix}next-auth.callback-url`, options },
  };
}
