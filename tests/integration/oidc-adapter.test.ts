import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { kysely } from "@/lib/db/kysely";
import { findOidcClient } from "@/lib/db/oidc-clients";
import { insertOidcPayload } from "@/lib/db/oidc-payloads";
import { OidcAdapter } from "@/lib/oidc/adapter";
import { findClientMetadata } from "@/lib/oidc/clients";
import { providerSigningKeys } from "@/lib/oidc/keys";
import { registerClient } from "@/lib/oidc/register-client";
import { removeClient } from "@/lib/oidc/remove-client";
import { noDatabase } from "../support/skip";

// oidc-provider's store on the database under test (the sqlite and postgres projects both run this file).
describe.skipIf(noDatabase)("the OpenID Connect store", () => {
  afterAll(disconnectDb);

  const id = () => randomUUID();

  it("keeps a payload with its expiry and finds it again", async () => {
    const adapter = new OidcAdapter("AccessToken");
    const jti = id();
    await adapter.upsert(jti, { jti, accountId: "u1", grantId: "g1", exp: 1 }, 60);
    expect(await adapter.find(jti)).toEqual({ jti, accountId: "u1", grantId: "g1", exp: 1 });
    const row = await kysely().selectFrom("oidc_payloads").select(["grant_id", "expires_at"]).where("id", "=", `AccessToken:${jti}`).executeTakeFirstOrThrow();
    expect(row.grant_id).toBe("g1");
    expect(row.expires_at!.getTime() - Date.now()).toBeGreaterThan(50_000);
    expect(await new OidcAdapter("RefreshToken").find(jti)).toBeUndefined();
  });

  it("a second save of the same id replaces the first", async () => {
    const adapter = new OidcAdapter("Interaction");
    const uid = id();
    await adapter.upsert(uid, { jti: uid, prompt: { name: "login" } }, 60);
    await adapter.upsert(uid, { jti: uid, prompt: { name: "consent" } }, 60);
    expect(await adapter.find(uid)).toMatchObject({ prompt: { name: "consent" } });
  });

  it("finds sessions by uid", async () => {
    const adapter = new OidcAdapter("Session");
    const sessionId = id();
    const uid = id();
    await adapter.upsert(sessionId, { jti: sessionId, uid, accountId: "u1" }, 60);
    expect(await adapter.findByUid(uid)).toMatchObject({ jti: sessionId, accountId: "u1" });
    expect(await adapter.findByUid(id())).toBeUndefined();
  });

  it("consuming marks the payload, and of concurrent consumers exactly one wins", async () => {
    const adapter = new OidcAdapter("AuthorizationCode");
    const code = id();
    await insertOidcPayload(kysely(), `AuthorizationCode:${code}`, { type: "AuthorizationCode", payload: JSON.stringify({ jti: code }) });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => adapter.consume(code)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(4);
    expect(rejected[0].reason).toMatchObject({ error: "invalid_grant" });
    expect((await adapter.find(code))?.consumed).toEqual(expect.any(Number));
  });

  it("a consumed code used again revokes everything of its grant", async () => {
    const grantId = id();
    const codes = new OidcAdapter("AuthorizationCode");
    const tokens = new OidcAdapter("AccessToken");
    const code = id();
    const token = id();
    await insertOidcPayload(kysely(), `AuthorizationCode:${code}`, { type: "AuthorizationCode", grantId, payload: JSON.stringify({ jti: code, grantId }) });
    await tokens.upsert(token, { jti: token, grantId }, 60);
    await codes.consume(code);
    await expect(codes.consume(code)).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await tokens.find(token)).toBeUndefined();
  });

  it("revoking a grant deletes that grant's tokens and no one else's", async () => {
    const adapter = new OidcAdapter("RefreshToken");
    const [a, b, grant, other] = [id(), id(), id(), id()];
    await adapter.upsert(a, { jti: a, grantId: grant }, 60);
    await adapter.upsert(b, { jti: b, grantId: other }, 60);
    await adapter.revokeByGrantId(grant);
    expect(await adapter.find(a)).toBeUndefined();
    expect(await adapter.find(b)).toBeDefined();
  });

  it("destroy removes one payload", async () => {
    const adapter = new OidcAdapter("Interaction");
    const uid = id();
    await adapter.upsert(uid, { jti: uid }, 60);
    await adapter.destroy(uid);
    expect(await adapter.find(uid)).toBeUndefined();
  });

  it("signing keys are made once, even when instances start together, and stored encrypted", async () => {
    const sets = await Promise.all([providerSigningKeys(), providerSigningKeys(), providerSigningKeys()]);
    const kids = sets.map((keys) => keys.map((k) => k.kid).join(","));
    expect(new Set(kids).size).toBe(1);
    expect(sets[0].map((k) => k.alg)).toEqual(["RS256", "ES256"]);
    expect(sets[0].every((k) => typeof k.d === "string")).toBe(true);
    const rows = await kysely().selectFrom("oidc_payloads").select("payload").where("type", "=", "ProviderKeys").execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).not.toContain(sets[0][0].d as string);
    expect(rows[0].payload).not.toContain("\"kty\"");
  });

  it("clients are read from the registry, with the secret decrypted only for the provider", async () => {
    const { clientId, clientSecret } = await registerClient({ name: "Store test", redirectUris: ["https://store.example/cb"], postLogoutRedirectUris: ["https://store.example/"] });
    const row = await findOidcClient(clientId);
    expect(row?.secret).toEqual(expect.any(String));
    expect(row?.secret).not.toContain(clientSecret as string);
    expect(await findClientMetadata(clientId)).toMatchObject({
      client_id: clientId,
      client_secret: clientSecret,
      client_name: "Store test",
      redirect_uris: ["https://store.example/cb"],
      post_logout_redirect_uris: ["https://store.example/"],
      token_endpoint_auth_method: "client_secret_basic",
    });
    const publicClient = await registerClient({ name: "SPA", redirectUris: ["http://localhost:5173/cb"], isPublic: true });
    expect(publicClient.clientSecret).toBeUndefined();
    expect(await findClientMetadata(publicClient.clientId)).toMatchObject({ token_endpoint_auth_method: "none" });
    expect(await findClientMetadata(publicClient.clientId)).not.toHaveProperty("client_secret");
    expect(await removeClient({ clientId })).toEqual({ removed: true });
    expect(await findClientMetadata(clientId)).toBeUndefined();
  });

  it("registration refuses redirect URIs that are not exact https (or local http) addresses", async () => {
    for (const uri of ["http://acme.example/cb", "https://acme.example/cb#x", "https://*.acme.example/cb", "acme.example/cb", "javascript:alert(1)"]) {
      await expect(registerClient({ name: "Bad", redirectUris: [uri] })).rejects.toThrow();
    }
  });
});
