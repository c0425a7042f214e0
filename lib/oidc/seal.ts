import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { secretFor } from "@/lib/config/secrets";

type Purpose = "provider-keys" | "client-secret";

// Client secrets never share a key with signing keys.
function keyFor(purpose: Purpose): Buffer {
  return secretFor(purpose === "provider-keys" ? "key-encryption" : "oidc-client-secret");
}

/** AES-256-GCM with a fresh IV; the purpose is bound as associated data so sealed values cannot be swapped between uses. */
export function seal(purpose: Purpose, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
}

/** Throws when the value was sealed with another APP_SECRET or altered. */
export function unseal(purpose: Purpose, sealed: string): string {
  const [iv, tag, body] = sealed.split(".").map((s) => Buffer.from(s, "base64url"));
  const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose), iv);
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}
