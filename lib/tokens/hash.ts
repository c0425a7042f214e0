import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { secretFor } from "@/lib/config/secrets";

/** A fresh opaque secret: `prefix` + 256 random bits, base64url. */
export function randomToken(prefix: string, bytes = 32): string {
  return prefix + randomBytes(bytes).toString("base64url");
}

/** What is stored instead of a token: an HMAC, so a database leak yields nothing usable. */
export function hashToken(token: string): string {
  return createHmac("sha256", secretFor("token-hash")).update(token).digest("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
