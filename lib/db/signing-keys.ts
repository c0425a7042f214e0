import { kysely } from "./kysely";

/** The keys of one use that are not retired, newest first; the JWKs are JSON text, the private one sealed. */
export async function listLiveSigningKeys(use: string) {
  return kysely()
    .selectFrom("signing_keys")
    .select(["kid", "alg", "public_jwk as publicJwk", "private_jwk as privateJwk"])
    .where("use", "=", use)
    .where("retired_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
}

export async function insertSigningKey(k: { kid: string; use: string; alg: string; publicJwk: string; privateJwk: string; now: Date }): Promise<void> {
  await kysely()
    .insertInto("signing_keys")
    .values({ kid: k.kid, use: k.use, alg: k.alg, public_jwk: k.publicJwk, private_jwk: k.privateJwk, created_at: k.now })
    .execute();
}
