import { randomUUID } from "node:crypto";
import { SignJWT, decodeProtectedHeader, jwtVerify } from "jose";
import { config } from "@/lib/config";
import { keyById, signingKeys } from "./keys";

export const ACCESS_AUDIENCE = "werify-api";

export type AccessClaims = { sub: string; sid: string; jti: string; exp: number; iat: number };

export async function signAccessToken(input: { userId: string; sessionId: string; now?: Date }): Promise<string> {
  const [key] = await signingKeys();
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ sid: input.sessionId })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt" })
    .setIssuer(config().publicOrigin)
    .setSubject(input.userId)
    .setAudience(ACCESS_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + config().ACCESS_TOKEN_TTL_SECONDS)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

// Instances' clocks differ a little: a token another instance issued a moment "from now" is still good.
const CLOCK_SKEW_SECONDS = 60;

/**
 * Checks signature, issuer, audience and lifetime; says why not for anything
 * else (for the log, never for the caller). The session check is the caller's.
 * A token must say when it was issued and when it expires, and live no longer
 * than ACCESS_TOKEN_TTL_SECONDS: the key signs nothing else, but a token minted
 * without `exp` (or with a ten-year one) would otherwise be a permanent credential.
 */
export async function checkAccessToken(token: string, now = new Date()): Promise<{ claims: AccessClaims } | { claims: null; why: unknown }> {
  try {
    const { kid } = decodeProtectedHeader(token);
    const key = kid ? await keyById(kid) : undefined;
    if (!key) return { claims: null, why: "no signing key has this kid" };
    const { payload } = await jwtVerify(token, key.publicJwk, {
      issuer: config().publicOrigin,
      audience: ACCESS_AUDIENCE,
      algorithms: ["ES256"],
      typ: "at+jwt",
      requiredClaims: ["exp", "iat"],
      currentDate: now,
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || payload.exp === undefined || payload.iat === undefined) return { claims: null, why: "sub or sid missing" };
    if (payload.exp - payload.iat > config().ACCESS_TOKEN_TTL_SECONDS) return { claims: null, why: "lives longer than ACCESS_TOKEN_TTL_SECONDS" };
    if (payload.iat > Math.floor(now.getTime() / 1000) + CLOCK_SKEW_SECONDS) return { claims: null, why: "issued in the future" };
    return { claims: payload as unknown as AccessClaims };
  } catch (error) {
    // jose's errors name the failed check (JWTExpired, JWSSignatureVerificationFailed…), never the token.
    return { claims: null, why: error };
  }
}

/** The claims of a valid access token, or null. */
export async function readAccessToken(token: string, now = new Date()): Promise<AccessClaims | null> {
  return (await checkAccessToken(token, now)).claims;
}

export async function publicJwks() {
  return { keys: (await signingKeys()).map((k) => k.publicJwk) };
}
