import { randomUUID } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";
import { config } from "@/lib/config";
import { secretFor } from "@/lib/config/secrets";
import { claimOnce } from "@/lib/ratelimit/hit";
import { sessionAlive } from "./authenticate";

const AUDIENCE = "werify-browser-handoff";
const TYPE = "handoff+jwt";
/** Long enough for the page to post it straight back; too short to be worth stealing. */
export const HANDOFF_SECONDS = 60;

export type Handoff = { userId: string; sessionId: string };

/**
 * What a browser sign-in that opened its session outside next-auth (the QR
 * poll) hands to the browser, for next-auth's sign-in to adopt that session.
 * Its own key, audience and type: an API access token is never one.
 */
export async function issueBrowserHandoff(input: Handoff & { now?: Date }): Promise<string> {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ sid: input.sessionId })
    .setProtectedHeader({ alg: "HS256", typ: TYPE })
    .setIssuer(config().publicOrigin)
    .setAudience(AUDIENCE)
    .setSubject(input.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + HANDOFF_SECONDS)
    .setJti(randomUUID())
    .sign(secretFor("browser-handoff"));
}

/**
 * The session a handoff names, at most once across every instance, while it is
 * under a minute old and its session is alive; null for anything else.
 */
export async function redeemBrowserHandoff(token: string, now = new Date()): Promise<Handoff | null> {
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(token, secretFor("browser-handoff"), {
      issuer: config().publicOrigin,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      typ: TYPE,
      requiredClaims: ["sub", "sid", "jti", "iat", "exp"],
      maxTokenAge: HANDOFF_SECONDS,
      currentDate: now,
    }));
  } catch {
    return null;
  }
  const { sub, sid, jti, exp } = claims;
  if (typeof sub !== "string" || typeof sid !== "string" || typeof jti !== "string" || typeof exp !== "number") return null;
  if (exp - (claims.iat ?? 0) > HANDOFF_SECONDS) return null;
  // Kept a minute past its expiry, so clock differences between instances cannot reopen it.
  if (!(await claimOnce(`handoff:${jti}`, (exp + 60) * 1000))) return null;
  if (!(await sessionAlive(sid, sub, now))) return null;
  return { userId: sub, sessionId: sid };
}
