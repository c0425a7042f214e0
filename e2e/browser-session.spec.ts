import { createHash, randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { latestCode } from "./support/outbox";
import { startPortal, type Portal } from "./support/portal";
import { registerWithCli } from "./support/rp/start";
import { uniqueEmail } from "./support/sign-in";

// A portal whose public address is https (behind a TLS-terminating proxy in real life), reached here over loopback http.
const PUBLIC = "https://login.example.test";

let portal: Portal;
test.beforeAll(async () => {
  portal = await startPortal({ PUBLIC_URL: PUBLIC, LOG_LEVEL: "warn" });
});
test.afterAll(async () => {
  await portal?.stop();
});

type Cookie = { name: string; value: string; attributes: string[] };

function parseSetCookie(line: string): Cookie {
  const [pair, ...attributes] = line.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}

/** A cookie jar of one browser, talking to the portal by its loopback address. */
class Browser {
  jar = new Map<string, string>();
  setCookies: Cookie[] = [];

  async fetch(path: string, init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.jar.size) headers.cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(`${portal.url}${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    this.setCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const cookie of this.setCookies) {
      if (cookie.value === "" || cookie.attributes.some((a) => a === "max-age=0" || a.startsWith("expires=thu, 01 jan 1970"))) this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value);
    }
    return response;
  }

  /** next-auth's own sign-in POST, as signIn("portal", …) sends it. */
  async signIn(credentials: Record<string, string>) {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    return this.fetch("/api/auth/callback/portal", { form: { ...credentials, csrfToken, callbackUrl: "/account", json: "true" } });
  }

  async sessionUser(): Promise<string | undefined> {
    const session = (await (await this.fetch("/api/auth/session")).json()) as { user?: { id?: string } };
    return session.user?.id;
  }
}

function expectSecureHostCookie(cookie: Cookie | undefined, name: string) {
  expect(cookie, `Set-Cookie ${name}`).toBeDefined();
  expect(cookie!.name).toBe(name);
  expect(cookie!.attributes).toEqual(expect.arrayContaining(["secure", "httponly", "path=/", "samesite=lax"]));
  expect(cookie!.attributes.some((a) => a.startsWith("domain="))).toBe(false);
}

/** The API's code sign-in; what an app (or a thief of its token) holds. */
async function apiSignIn(email: string): Promise<{ access_token: string; user: { id: string } }> {
  const asked = Date.now() - 1000;
  const sent = await fetch(`${portal.url}/v1/oauth/sign`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: email }) });
  expect(sent.status).toBe(200);
  const code = await latestCode(portal.databaseUrl, email, asked);
  const verified = await fetch(`${portal.url}/v1/oauth/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: email, code }) });
  expect(verified.status).toBe(200);
  return (await verified.json()) as { access_token: string; user: { id: string } };
}

test("with an https PUBLIC_URL next-auth's cookies are Secure __Host- cookies and it names PUBLIC_URL as its address", async () => {
  const browser = new Browser();
  const csrf = await browser.fetch("/api/auth/csrf");
  expect(csrf.status).toBe(200);
  expectSecureHostCookie(browser.setCookies.find((c) => c.name.includes("csrf-token")), "__Host-next-auth.csrf-token");

  const providers = (await (await browser.fetch("/api/auth/providers")).json()) as Record<string, { signinUrl: string; callbackUrl: string }>;
  expect(providers.portal).toMatchObject({ signinUrl: `${PUBLIC}/api/auth/signin/portal`, callbackUrl: `${PUBLIC}/api/auth/callback/portal` });

  const email = uniqueEmail("secure-cookie");
  const asked = Date.now() - 1000;
  expect((await browser.fetch("/v1/oauth/sign", { json: { id: email } })).status).toBe(200);
  const signedIn = await browser.signIn({ id: email, code: await latestCode(portal.databaseUrl, email, asked) });
  expect(signedIn.status).toBe(200);
  expect(((await signedIn.json()) as { url: string }).url).toBe(`${PUBLIC}/account`);
  expectSecureHostCookie(browser.setCookies.find((c) => c.name.includes("session-token")), "__Host-next-auth.session-token");
  expect(browser.setCookies.some((c) => c.name === "next-auth.session-token" || c.name.startsWith("__Secure-next-auth.session"))).toBe(false);
  expect(await browser.sessionUser()).toBeTruthy();

  const { csrfToken } = (await (await browser.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const signedOut = await browser.fetch("/api/auth/signout", { form: { csrfToken, json: "true" } });
  expect(((await signedOut.json()) as { url: string }).url.startsWith(`${PUBLIC}`)).toBe(true);
  const cleared = browser.setCookies.find((c) => c.name === "__Host-next-auth.session-token");
  expect(cleared?.attributes).toEqual(expect.arrayContaining(["secure", "path=/"]));
  expect(await browser.sessionUser()).toBeUndefined();
});

test("with an https PUBLIC_URL the QR poll cookie and OpenID Connect's cookies are Secure too", async () => {
  const browser = new Browser();
  await browser.fetch("/v1/oauth/qr");
  const pollCookie = browser.setCookies.find((c) => c.name.startsWith("wrf_qr_"));
  expect(pollCookie?.attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=strict", "path=/v1/oauth/qr"]));

  const client = registerWithCli({ url: PUBLIC, databaseUrl: portal.databaseUrl }, ["--name", "Acme", "--redirect-uri", "https://acme.example.test/callback"]);
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: "https://acme.example.test/callback",
    response_type: "code",
    scope: "openid",
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  const started = await browser.fetch(`/api/oidc/auth?${query}`);
  expect(started.status).toBeGreaterThanOrEqual(300);
  expect(started.status).toBeLessThan(400);
  expect(started.headers.get("location")).toMatch(new RegExp(`^(${PUBLIC})?/oidc/interaction/`));
  const oidcCookies = browser.setCookies.filter((c) => c.name.startsWith("wrf_oidc_"));
  expect(oidcCookies.length).toBeGreaterThan(0);
  for (const cookie of oidcCookies) expect(cookie.attributes, cookie.name).toEqual(expect.arrayContaining(["secure", "httponly"]));
});

test("an API access token posted to the browser sign-in gets no session", async () => {
  const { access_token: accessToken } = await apiSignIn(uniqueEmail("stolen-token"));
  const attempts: Record<string, string>[] = [{ access_token: accessToken }, { handoff: accessToken }];
  for (const credentials of attempts) {
    const browser = new Browser();
    const refused = await browser.signIn(credentials);
    expect(refused.status).toBe(401);
    expect(browser.setCookies.some((c) => c.name.includes("session-token"))).toBe(false);
    expect(await browser.sessionUser()).toBeUndefined();
  }
});

test("a QR approval's handoff signs the browser in once; the same handoff again gets nothing", async () => {
  const phone = await apiSignIn(uniqueEmail("qr-phone"));
  const bearer = { authorization: `Bearer ${phone.access_token}` };
  const screen = new Browser();
  const shown = (await (await screen.fetch("/v1/oauth/qr")).json()) as { qr_token: string };
  expect((await screen.fetch(`/v1/oauth/qr/authorize?qr_token=${shown.qr_token}`, { headers: bearer })).status).toBe(200);
  expect((await screen.fetch("/v1/oauth/qr/authorize", { json: { qr_token: shown.qr_token }, headers: bearer })).status).toBe(200);
  // The screen's poll sends its HttpOnly poll cookie, as the QR tab does.
  const collected = (await (await screen.fetch("/v1/oauth/qr", { json: { qr_token: shown.qr_token } })).json()) as { status: string; handoff: string };
  expect(collected.status).toBe("approved");

  const signedIn = await screen.signIn({ handoff: collected.handoff });
  expect(signedIn.status).toBe(200);
  expectSecureHostCookie(screen.setCookies.find((c) => c.name.includes("session-token")), "__Host-next-auth.session-token");
  expect(await screen.sessionUser()).toBe(phone.user.id);

  const replay = new Browser();
  expect((await replay.signIn({ handoff: collected.handoff })).status).toBe(401);
  expect(await replay.sessionUser()).toBeUndefined();
});
