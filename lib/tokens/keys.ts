import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from "jose";
import { secretFor } from "@/lib/config/secrets";
import { insertSigningKey, listLiveSigningKeys } from "@/lib/db/signing-keys";

export type SigningKey = { kid: string; alg: "ES256"; privateKey: CryptoKey; publicJwk: JWK };

const USE = "access";
const CACHE_MS = 60_000;
let cache: { keys: SigningKey[]; loadedAt: number } | undefined;

function encrypt(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretFor("key-encryption"), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
}

function decrypt(sealed: string): string {
  const [iv, tag, body] = sealed.split(".").map((s) => Buffer.from(s, "base64url"));
  const decipher = createDecipheriv("aes-256-gcm", secretFor("key-encryption"), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}

async function load(): Promise<SigningKey[]> {
  const rows = await listLiveSigningKeys(USE);
  return Promise.all(
    rows.map(async (row) => ({
      kid: row.kid,
      alg: "ES256" as const,
      privateKey: (await importJWK(JSON.parse(decrypt(row.privateJwk)), "ES256")) as CryptoKey,
      publicJwk: JSON.parse(row.publicJwk) as JWK,
    })),
  );
}

async function create(): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = randomBytes(12).toString("base64url");
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  const privateJwk = await exportJWK(privateKey);
  await insertSigningKey({ kid, use: USE, alg: "ES256", publicJwk: JSON.stringify(publicJwk), privateJwk: encrypt(JSON.stringify(privateJwk)), now: new Date() });
}

/**
 * The access-token keys every instance shares, newest first. The first
 * instance to need one creates it; if two do at once both keys are valid.
 */
export async function signingKeys(refresh = false): Promise<SigningKey[]> {
  if (!refresh && cache && Date.now() - cache.loadedAt < CACHE_MS && cache.keys.length) return cache.keys;
  let keys = await load();
  if (!keys.length) {
    await create();
    keys = await load();
  }
  cache = { keys, loadedAt: Date.now() };
  return keys;
}

/** Finds a verification key by kid, reloading once for a key another instance just made. */
export async function keyById(kid: string): Promise<SigningKey | undefined> {
  return (await signingKeys()).find((k) => k.kid === kid) ?? (await signingKeys(true)).find((k) => k.kid === kid);
}
