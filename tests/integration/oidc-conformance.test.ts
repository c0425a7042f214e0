import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as client from "openid-client";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { disconnectDb } from "@/lib/db/client";
import { noDatabase } from "../support/skip";
import { authorizationUrl, Browser, exchange, journey, relyingParty, startHarness, tokenRequest, uniqueEmail, type Harness } from "./oidc-harness";

// Checks from the OpenID Foundation's Basic OP conformance plan, replicated
// against the real provider, each named after its module.
describe.skipIf(noDatabase)("OpenID Connect Basic OP checks", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
    await disconnectDb();
  });

  async function signedInFlow(options: { email?: string; extra?: Record<string, string>; publicClient?: boolean } = {}) {
    const rp = await relyingParty(harness, { public: options.publicClient });
    const browser = new Browser(harness);
    const email = options.email ?? uniqueEmail();
    await browser.signIn(email);
    const started = await authorizationUrl(rp, options.extra);
    const trip = await journey(browser, started.url, { consent: "approve" });
    return { rp, browser, email, started, trip };
  }

  it("oidcc-server: discovery, a code flow with PKCE, state and nonce, and tokens for the signed-in user", async () => {
    const { rp, started, trip, email } = await signedInFlow();
    expect(trip.url.origin + trip.url.pathname).toBe(rp.redirectUri);
    expect(trip.url.searchParams.get("iss")).toBe(harness.origin);
    expect(trip.visitedConsent).toHaveLength(1);
    const tokens = await exchange(rp, started, trip.url);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: harness.origin, aud: rp.clientId, nonce: started.nonce, email, email_verified: true });
    expect(typeof claims?.auth_time).toBe("number");
    expect(tokens.refresh_token).toBeTruthy();
    const metadata = rp.config.serverMetadata();
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
    expect(metadata.response_types_supported).toEqual(["code"]);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "ES256"]));
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "phone", "wallet", "offline_access"]));
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(["sub", "email", "email_verified", "phone_number", "phone_number_verified", "wallet_address"]));
  });

  it("oidcc-idtoken-signature: the ID token verifies against the published JWKS, which offers RS256 and ES256 keys", async () => {
    const { rp, started, trip } = await signedInFlow();
    const tokens = await exchange(rp, started, trip.url);
    const idToken = tokens.id_token as string;
    const metadata = rp.config.serverMetadata();
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri as string), { [Symbol.for("jose.customFetch")]: harness.fetch } as never);
    const keys = (await (await harness.fetch(metadata.jwks_uri as string)).json()) as { keys: { alg: string; kid: string; d?: string }[] };
    expect(keys.keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    expect(keys.keys.every((k) => k.kid && !k.d)).toBe(true);
    const { payload, protectedHeader } = await jwtVerify(idToken, async (header) => {
      const key = keys.keys.find((k) => k.kid === header.kid);
      if (!key) throw new Error("unknown kid");
      const { importJWK } = await import("jose");
      return importJWK(key, key.alg);
    }, { issuer: harness.origin, audience: rp.clientId });
    expect(protectedHeader).toMatchObject({ alg: "RS256" });
    expect(decodeProtectedHeader(idToken).kid).toBeTruthy();
    expect(payload.sub).toBe(tokens.claims()?.sub);
    expect(jwks).toBeTypeOf("function");
  });

  it("oidcc-userinfo-get: userinfo answers a GET with the bearer token with the consented claims", async () => {
    const { rp, started, trip, email } = await signedInFlow({ extra: { scope: "openid email phone wallet" } });
    const tokens = await exchange(rp, started, trip.url);
    const info = await client.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()?.sub as string);
    expect(info).toEqual({ sub: tokens.claims()?.sub, email, email_verified: true });
  });

  it("oidcc-userinfo-post-header: userinfo answers a POST with the bearer token in the header", async () => {
    const { rp, started, trip, email } = await signedInFlow();
    const tokens = await exchange(rp, started, trip.url);
    const response = await harness.fetch(rp.config.serverMetadata().userinfo_endpoint as string, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: tokens.claims()?.sub, email });
  });

  it("oidcc-prompt-none-not-logged-in: prompt=none without a session returns login_required to the app", async () => {
    const rp = await relyingParty(harness);
    const started = await authorizationUrl(rp, { prompt: "none" });
    const trip = await journey(new Browser(harness), started.url);
    expect(trip.url.origin + trip.url.pathname).toBe(rp.redirectUri);
    expect(Object.fromEntries(trip.url.searchParams)).toMatchObject({ error: "login_required", state: started.state, iss: harness.origin });
  });

  it("oidcc-prompt-none-logged-in: prompt=none after signing in returns a code without any page", async () => {
    const { rp, browser } = await signedInFlow();
    const again = await authorizationUrl(rp, { prompt: "none" });
    const trip = await journey(browser, again.url);
    expect(trip.url.searchParams.get("code")).toBeTruthy();
    expect(trip.visitedLogin).toHaveLength(0);
    expect(trip.visitedConsent).toHaveLength(0);
  });

  it("oidcc-prompt-login: prompt=login sends a signed-in user to sign in again, and auth_time moves forward", async () => {
    const { rp, browser, started, trip, email } = await signedInFlow();
    const first = (await exchange(rp, started, trip.url)).claims();
    const again = await authorizationUrl(rp, { prompt: "login" });
    const later = new Date(Date.now() + 2000);
    const second = await journey(browser, again.url, { login: async () => void (await browser.signIn(email, later)) });
    expect(second.visitedLogin).toHaveLength(1);
    const claims = (await exchange(rp, again, second.url)).claims();
    expect(claims?.sub).toBe(first?.sub);
    expect(claims?.auth_time).toBeGreaterThan(first?.auth_time as number);
  });

  it("oidcc-max-age-1: a sign-in older than max_age must be repeated", async () => {
    const rp = await relyingParty(harness);
    const browser = new Browser(harness);
    const email = uniqueEmail();
    await browser.signIn(email, new Date(Date.now() - 60_000));
    const first = await authorizationUrl(rp);
    const firstTrip = await journey(browser, first.url, { consent: "approve" });
    expect(firstTrip.visitedLogin).toHaveLength(0);
    const aged = await authorizationUrl(rp, { max_age: "1" });
    const trip = await journey(browser, aged.url, { login: async () => void (await browser.signIn(email, new Date(Date.now() + 1500))) });
    expect(trip.visitedLogin).toHaveLength(1);
    const claims = (await exchange(rp, aged, trip.url)).claims();
    expect(Math.abs(Math.floor(Date.now() / 1000) - (claims?.auth_time as number))).toBeLessThanOrEqual(5);
  });

  it("oidcc-codereuse: a code used twice fails, and the tokens it issued stop working", async () => {
    const { rp, started, trip } = await signedInFlow();
    const tokens = await exchange(rp, started, trip.url);
    const code = trip.url.searchParams.get("code") as string;
    const replay = await tokenRequest(harness, rp, { grant_type: "authorization_code", code, redirect_uri: rp.redirectUri, code_verifier: started.verifier });
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    await expect(client.fetchUserInfo(rp.config, tokens.access_token, client.skipSubjectCheck)).rejects.toThrow();
    const refresh = await tokenRequest(harness, rp, { grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    expect(refresh.body.error).toBe("invalid_grant");
  });

  it("oidcc-codereuse (concurrent): of two simultaneous exchanges of one code exactly one succeeds", async () => {
    const { rp, started, trip } = await signedInFlow();
    const code = trip.url.searchParams.get("code") as string;
    const params = { grant_type: "authorization_code", code, redirect_uri: rp.redirectUri, code_verifier: started.verifier };
    const results = await Promise.all([tokenRequest(harness, rp, params), tokenRequest(harness, rp, params), tokenRequest(harness, rp, params)]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body.error === "invalid_grant")).toHaveLength(2);
  });

  it("oidcc-ensure-registered-redirect-uri: an unregistered redirect_uri shows an error page and never redirects", async () => {
    const rp = await relyingParty(harness);
    for (const redirect of ["https://evil.example/callback", `${rp.redirectUri}/`, `${rp.redirectUri}?x=1`, "https://RP.example/callback"]) {
      const started = await authorizationUrl(rp, { redirect_uri: redirect });
      const response = await new Browser(harness).request(started.url.href);
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      const html = await response.text();
      expect(html).toContain("return address isn");
      expect(html).not.toContain("evil.example/callback?");
    }
  });

  it("an unknown client_id shows an error page and never redirects", async () => {
    const rp = await relyingParty(harness);
    const started = await authorizationUrl(rp, { client_id: "wrf_unknown" });
    const response = await new Browser(harness).request(started.url.href);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("isn&#39;t registered");
  });

  it("oidcc-ensure-request-with-valid-pkce-succeeds: a public client signs in with PKCE alone", async () => {
    const { rp, started, trip } = await signedInFlow({ publicClient: true });
    const tokens = await exchange(rp, started, trip.url);
    expect(tokens.access_token).toBeTruthy();
  });

  it("a request without PKCE, or with plain PKCE, is refused", async () => {
    const rp = await relyingParty(harness);
    const browser = new Browser(harness);
    await browser.signIn(uniqueEmail());
    const withoutPkce = new URL(rp.config.serverMetadata().authorization_endpoint as string);
    withoutPkce.search = new URLSearchParams({ client_id: rp.clientId, redirect_uri: rp.redirectUri, response_type: "code", scope: "openid", state: "s1" }).toString();
    const none = await journey(browser, withoutPkce);
    expect(Object.fromEntries(none.url.searchParams)).toMatchObject({ error: "invalid_request", state: "s1" });
    expect(none.url.searchParams.get("error_description")).toMatch(/PKCE/);
    const plain = new URL(withoutPkce);
    plain.searchParams.set("code_challenge", "a".repeat(43));
    plain.searchParams.set("code_challenge_method", "plain");
    const refused = await journey(browser, plain);
    expect(refused.url.searchParams.get("error")).toBe("invalid_request");
  });

  it("a wrong code_verifier is invalid_grant", async () => {
    const { rp, trip } = await signedInFlow();
    const result = await tokenRequest(harness, rp, {
      grant_type: "authorization_code",
      code: trip.url.searchParams.get("code") as string,
      redirect_uri: rp.redirectUri,
      code_verifier: client.randomPKCECodeVerifier(),
    });
    expect(result).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("oidcc-refresh-token: a refresh token is rotated, and using a rotated one again revokes the grant", async () => {
    const { rp, started, trip } = await signedInFlow();
    const tokens = await exchange(rp, started, trip.url);
    const refreshed = await client.refreshTokenGrant(rp.config, tokens.refresh_token as string);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(tokens.claims()?.sub);
    const reuse = await tokenRequest(harness, rp, { grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    expect(reuse).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const next = await tokenRequest(harness, rp, { grant_type: "refresh_token", refresh_token: refreshed.refresh_token as string });
    expect(next.body.error).toBe("invalid_grant");
    await expect(client.fetchUserInfo(rp.config, refreshed.access_token, client.skipSubjectCheck)).rejects.toThrow();
  });

  it("oidcc-ensure-request-with-unknown-parameter-succeeds: unknown authorization parameters are ignored", async () => {
    const { rp, started, trip } = await signedInFlow({ extra: { extra_parameter: "ignored", another: "1" } });
    expect((await exchange(rp, started, trip.url)).access_token).toBeTruthy();
  });

  it("oidcc-scope-all: each scope adds only its own claims, and an identity the user lacks is simply absent", async () => {
    const { rp, started, trip, email } = await signedInFlow({ extra: { scope: "openid email phone wallet" } });
    const tokens = await exchange(rp, started, trip.url);
    const info = await client.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()?.sub as string);
    expect(info.email).toBe(email);
    expect(info).not.toHaveProperty("phone_number");
    expect(info).not.toHaveProperty("wallet_address");
  });
});
