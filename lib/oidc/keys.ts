import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { isUniqueViolation, kysely } from "@/lib/db/kysely";
import { findOidcPayload, insertOidcPayload } from "@/lib/db/oidc-payloads";
import { seal, unseal } from "./seal";
import { rowId } from "./store";

const TYPE = "ProviderKeys";
const ID = rowId(TYPE, "signing");

async function generate(alg: "RS256" | "ES256"): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "RS256" ? { modulusLength: 2048 } : {}) });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(12).toString("base64url"), alg, use: "sig" };
}

/**
 * The ID-token signing keys (RS256 first: the default for clients that do not
 * ask; ES256 offered), shared by every instance. They live in one encrypted
 * row: the first instance to start inserts it and any that raced it read the
 * winner's, so all instances sign with, and publish, the same keys.
 */
export async function providerSigningKeys(): Promise<JWK[]> {
  const existing = await findOidcPayload(kysely(), ID);
  if (existing) return (JSON.parse(unseal("provider-keys", existing.payload)) as { keys: JWK[] }).keys;
  const keys = [await generate("RS256"), await generate("ES256")];
  try {
    await insertOidcPayload(kysely(), ID, { type: TYPE, payload: seal("provider-keys", JSON.stringify({ keys })) });
    return keys;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return providerSigningKeys();
  }
}
