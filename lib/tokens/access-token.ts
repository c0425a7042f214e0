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

/** Checks signature, issuer, audience and expiry; null for anything else. The session check is the caller's. */
export async function readAccessToken(token: string): Promise<AccessClaims | null> {
  try {
    const { kid } = decodeProtectedHeader(token);
    const key = kid ? await keyById(kid) : undefined;
    if (!key) return null;
    const { payload } = await jwtVerify(token, key.publicJwk, {
      issuer: config().publicOrigin,
      audience: ACCESS_AUDIENCE,
      algorithms: ["ES256"],
      typ: "at+jwt",
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    return payload as unknown as AccessClaims;
  } catch {
    return null;
  }
}

export async function publicJwks() {
  return { keys: (await signingKeys()).map((k) => k.publicJwk) };
}
