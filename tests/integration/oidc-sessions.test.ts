import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as client from "openid-client";
import { disconnectDb } from "@/lib/db/client";
import { kysely } from "@/lib/db/kysely";
import { revokeSessions } from "@/lib/db/sessions";
import { listAppAccess, revokeAppAccess } from "@/lib/oidc/app-access";
import { appSessionId } from "@/lib/oidc/app-session";
import { describeLoginRequest } from "@/lib/oidc/describe-login-request";
import { noDatabase } from "../support/skip";
import { authorizationUrl, Browser, exchange, journey, relyingParty, startHarness, tokenRequest, uniqueEmail, type Harness } from "./oidc-harness";

/** The user's app ("oidc") sessions, oldest first. */
function appSessions(userId: string) {
  return kysely().selectFrom("sessions").selectAll().where("user_id", "=", userId).where("created_via", "=", "oidc").orderBy("created_at", "asc").orderBy("id", "asc").execute();
}

describe.skipIf(noDatabase)("signing in to other sites with the portal", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
    await disconnectDb();
  });

  async function connected(options: { scope?: string; postLogout?: string } = {}) {
    const rp = await relyingParty(harness, { name: "Acme", postLogout: options.postLogout });
    const browser = new Browser(harness);
    const email = uniqueEmail();
    const { userId, sessionId } = await browser.signIn(email);
    const started = await authorizationUrl(rp, options.scope ? { scope: options.scope } : {});
    const trip = await journey(browser, started.url, { consent: "approve" });
    const tokens = await exchange(rp, started, trip.url);
    return { rp, browser, email, userId, sessionId, tokens };
  }

  it("a user without a portal session is sent to /login, which names the app and carries its login_hint", async () => {
    const rp = await relyingParty(harness, { name: "Acme Shop" });
    const browser = new Browser(harness);
    const email = uniqueEmail();
    const started = await authorizationUrl(rp, { login_hint: email });
    const trip = await journey(browser, started.url);
    const login = trip.visitedLogin[0];
    expect(login.searchParams.get("next")).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
    expect(login.searchParams.has("client_name")).toBe(false);
    const request = await describeLoginRequest({ uid: login.searchParams.get("interaction") as string });
    expect(request).toEqual({ clientName: "Acme Shop", loginHint: email, mustSignIn: true });
    const done = await journey(browser, login, { login: async () => void (await browser.signIn(email)), consent: "approve" });
    expect(done.url.searchParams.get("code")).toBeTruthy();
  });

  it("consent is asked once per user and app, then remembered in any browser", async () => {
    const { rp, email } = await connected();
    const elsewhere = new Browser(harness);
    await elsewhere.signIn(email);
    const trip = await journey(elsewhere, (await authorizationUrl(rp)).url);
    expect(trip.visitedConsent).toHaveLength(0);
    expect(trip.url.searchParams.get("code")).toBeTruthy();
  });

  it("asking for more than was allowed asks again", async () => {
    const { rp, browser } = await connected();
    const trip = await journey(browser, (await authorizationUrl(rp, { scope: "openid email phone" })).url);
    expect(trip.visitedConsent).toHaveLength(1);
  });

  it("denying consent sends access_denied back to the app, with its state", async () => {
    const rp = await relyingParty(harness);
    const browser = new Browser(harness);
    await browser.signIn(uniqueEmail());
    const started = await authorizationUrl(rp);
    const trip = await journey(browser, started.url, { consent: "deny" });
    expect(Object.fromEntries(trip.url.searchParams)).toMatchObject({ error: "access_denied", state: started.state, iss: harness.origin });
  });

  it("signing in to an app opens a session named after it, and the sign-in and consent are in the activity", async () => {
    const { rp, userId, tokens } = await connected();
    const sessions = await appSessions(userId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ client_id: rp.clientId, revoked_at: null });
    expect(tokens.access_token).toBeTruthy();
    const events = await kysely().selectFrom("audit_events").selectAll().where("user_id", "=", userId).orderBy("created_at", "asc").execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["oidc_consent_granted", "oidc_sign_in"]));
    const signIn = events.find((e) => e.type === "oidc_sign_in");
    expect(signIn?.session_id).toBe(sessions[0].id);
    expect(JSON.parse(signIn?.detail ?? "{}")).toMatchObject({ client_id: rp.clientId, client_name: "Acme" });
  });

  it("signing the app's session out from the account page stops its tokens at once; signing in again opens a new one", async () => {
    const { rp, browser, userId, tokens } = await connected();
    const [session] = await appSessions(userId);
    expect(await revokeSessions(kysely(), { id: session.id }, "revoked_from_account", new Date())).toBe(1);
    await expect(client.fetchUserInfo(rp.config, tokens.access_token, client.skipSubjectCheck)).rejects.toThrow();
    const refresh = await tokenRequest(harness, rp, { grant_type: "refresh_token", refresh_token: tokens.refresh_token as string });
    expect(refresh.body.error).toBe("invalid_grant");
    const again = await authorizationUrl(rp);
    const trip = await journey(browser, again.url);
    expect(trip.visitedConsent).toHaveLength(0);
    expect((await exchange(rp, again, trip.url)).access_token).toBeTruthy();
    const sessions = await appSessions(userId);
    expect(sessions.map((s) => s.revoked_at === null)).toEqual([false, true]);
  });

  it("removing an app's access forgets the consent, revokes its tokens and signs its sessions out", async () => {
    const { rp, browser, userId, tokens } = await connected();
    expect((await listAppAccess({ userId })).map((a) => ({ name: a.name, sessions: a.activeSessions, allowed: a.allowed.map((x) => x.scope) }))).toEqual([
      { name: "Acme", sessions: 1, allowed: ["openid", "email"] },
    ]);
    expect(await revokeAppAccess({ userId, clientId: rp.clientId })).toEqual({ removed: true });
    expect(await listAppAccess({ userId })).toEqual([]);
    await expect(client.fetchUserInfo(rp.config, tokens.access_token, client.skipSubjectCheck)).rejects.toThrow();
    expect((await tokenRequest(harness, rp, { grant_type: "refresh_token", refresh_token: tokens.refresh_token as string })).body.error).toBe("invalid_grant");
    const [session] = await appSessions(userId);
    expect(session.revoked_at).not.toBeNull();
    const audit = await kysely().selectFrom("audit_events").selectAll().where("user_id", "=", userId).where("type", "=", "oidc_consent_revoked").executeTakeFirst();
    expect(JSON.parse(audit?.detail ?? "{}")).toMatchObject({ client_id: rp.clientId, sessions: 1 });
    const again = await journey(browser, (await authorizationUrl(rp)).url);
    expect(again.visitedConsent).toHaveLength(1);
  });

  it("after signing out of the portal, an app's silent sign-in gets login_required", async () => {
    const { rp, browser } = await connected();
    browser.signOutOfPortal();
    const started = await authorizationUrl(rp, { prompt: "none" });
    const trip = await journey(browser, started.url);
    expect(trip.url.searchParams.get("error")).toBe("login_required");
  });

  it("a portal session revoked elsewhere counts as signed out for apps too", async () => {
    const { rp, browser, sessionId } = await connected();
    expect(await revokeSessions(kysely(), { id: sessionId }, "signed_out", new Date())).toBe(1);
    const trip = await journey(browser, (await authorizationUrl(rp)).url);
    expect(trip.visitedLogin).toHaveLength(1);
  });

  it("RP-initiated logout asks first, then ends the app's tokens and the portal session and returns to the app", async () => {
    const postLogout = "https://rp.example/signed-out";
    const { rp, browser, sessionId, userId, tokens } = await connected({ postLogout });
    const logout = client.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token as string, post_logout_redirect_uri: postLogout, state: "bye" });
    const page = await browser.request(logout.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Acme asked to sign you out");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const action = /action="([^"]+)"/.exec(html)?.[1] as string;
    const confirmed = await browser.request(action, {
      method: "POST",
      body: new URLSearchParams({ xsrf, logout: "yes" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(`${postLogout}?state=bye`);
    expect(confirmed.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token=;"))).toBe(true);
    expect((await kysely().selectFrom("sessions").select("revoked_at").where("id", "=", sessionId).executeTakeFirstOrThrow()).revoked_at).not.toBeNull();
    await expect(client.fetchUserInfo(rp.config, tokens.access_token, client.skipSubjectCheck)).rejects.toThrow();
    const [appSession] = await appSessions(userId);
    expect(appSession.revoked_at).not.toBeNull();
  });

  it("a logout request naming an unregistered return address is refused on a portal page", async () => {
    const { rp, browser, tokens } = await connected({ postLogout: "https://rp.example/signed-out" });
    const logout = client.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token as string, post_logout_redirect_uri: "https://evil.example/" });
    const response = await browser.request(logout.href);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("an interaction cannot be finished from another browser that learnt its address", async () => {
    const rp = await relyingParty(harness);
    const victim = new Browser(harness);
    await victim.signIn(uniqueEmail("victim"));
    const attacker = new Browser(harness);
    const trip = await journey(attacker, (await authorizationUrl(rp)).url);
    const next = trip.visitedLogin[0].searchParams.get("next") as string;
    const response = await victim.request(next);
    expect(response.status).toBe(410);
    expect(response.headers.get("location")).toBeNull();
  });

  it("a consent decision posted from another site is refused", async () => {
    const rp = await relyingParty(harness);
    const browser = new Browser(harness);
    await browser.signIn(uniqueEmail());
    const trip = await journey(browser, (await authorizationUrl(rp)).url);
    const uid = trip.visitedConsent[0];
    const response = await browser.request(`/oidc/interaction/${uid}/decision`, {
      method: "POST",
      body: new URLSearchParams({ decision: "approve" }),
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(403);
  });

  it("discovery names PUBLIC_URL whatever Host or X-Forwarded-* headers a request carries", async () => {
    const response = await harness.fetch(`${harness.origin}/.well-known/openid-configuration`, {
      headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    });
    const document = (await response.json()) as Record<string, string>;
    expect(document.issuer).toBe(harness.origin);
    for (const key of ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint"]) {
      expect(document[key].startsWith(`${harness.origin}/api/oidc/`)).toBe(true);
    }
    const direct = await harness.fetch(`${harness.origin}/api/oidc/jwks`, { headers: { "x-forwarded-host": "evil.example" } });
    expect(direct.status).toBe(200);
  });

  it("an app's session id follows its grant, so the account page can name and sign out each app", async () => {
    const { userId } = await connected();
    const [session] = await appSessions(userId);
    const grant = await kysely().selectFrom("oidc_payloads").select("id").where("type", "=", "Grant").where("uid", "=", userId).executeTakeFirstOrThrow();
    expect(session.id).toBe(appSessionId(grant.id.slice("Grant:".length)));
  });
});
