import { hkdfSync } from "node:crypto";
import { config } from "./index";

type Purpose = "otp-code" | "token-hash" | "key-encryption" | "nextauth" | "oidc-cookies" | "oidc-client-secret" | "browser-handoff";

const derived = new Map<Purpose, Buffer>();

/**
 * One APP_SECRET, one independent key per purpose (HKDF-SHA256), so a key used
 * to hash codes can never be confused with one that encrypts signing keys.
 */
export function secretFor(purpose: Purpose): Buffer {
  let key = derived.get(purpose);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", config().APP_SECRET, "werify-portal", purpose, 32));
    derived.set(purpose, key);
  }
  return key;
}
