import { decode } from "next-auth/jwt";
import { sessionCookieName } from "@/lib/auth/browser-cookies";
import { secretFor } from "@/lib/config/secrets";
import { kysely } from "@/lib/db/kysely";
import { findSession } from "@/lib/db/sessions";

export type BrowserPortalSession = { userId: string; sessionId: string; signedInAt: Date; via: string };

/** Cookie header → name/value pairs; a malformed pair is skipped, never thrown on. */
export function parseCookies(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** next-auth may split a large JWT into name.0, name.1, … cookies. */
function sessionToken(cookies: Map<string, string>): string | undefined {
  // Only the name next-auth itself uses: over https an unprefixed cookie may have been planted by another host.
  const name = sessionCookieName();
  if (cookies.has(name)) return cookies.get(name);
  const chunks = [...cookies.keys()].filter((key) => key.startsWith(`${name}.`)).sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
  if (chunks.length) return chunks.map((key) => cookies.get(key)).join("");
  return undefined;
}

/**
 * The portal session this browser is signed in with, read from next-auth's
 * cookie without Next's request scope (the provider runs on plain Node
 * requests). Only a live session row counts, so a revoked or signed-out
 * session is "no session" here too.
 */
export async function browserPortalSession(cookieHeader: string | null | undefined, now = new Date()): Promise<BrowserPortalSession | null> {
  const token = sessionToken(parseCookies(cookieHeader));
  if (!token) return null;
  const claims = await decode({ token, secret: secretFor("nextauth").toString("base64url") }).catch(() => null);
  if (!claims?.sub || typeof claims.sid !== "string") return null;
  const session = await findSession(kysely(), claims.sid);
  if (!session || session.userId !== claims.sub || session.revokedAt || session.expiresAt <= now) return null;
  return { userId: session.userId, sessionId: claims.sid, signedInAt: session.createdAt, via: session.createdVia };
}

/** Names of the next-auth cookies this browser holds, so signing out can expire each of them. */
export function portalCookieNames(cookieHeader: string | null | undefined): string[] {
  const base = sessionCookieName();
  return [...parseCookies(cookieHeader).keys()].filter((name) => name === base || name.startsWith(`${base}.`));
}
