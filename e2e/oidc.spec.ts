import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as client from "openid-client";
import { latestCode } from "./support/outbox";
import { startCaptureSite, type CaptureSite } from "./support/rp/capture";
import { registerWithCli, startRelyingParty, type RelyingPartySite } from "./support/rp/start";
import { uniqueEmail } from "./support/sign-in";

const portal = () => ({ url: process.env.PORTAL_URL!, databaseUrl: process.env.PORTAL_DATABASE_URL! });
const shots = "test-results/oidc";
mkdirSync(shots, { recursive: true });

let acme: RelyingPartySite;
let capture: CaptureSite;

test.beforeAll(async () => {
  acme = await startRelyingParty(portal());
  capture = await startCaptureSite();
});
test.afterAll(async () => {
  await acme?.stop();
  await capture?.stop();
});

/** On the portal's /login (reached from an app): the Code tab, with the code from the demo outbox. */
async function signInOnPortal(page: Page, email: string) {
  const asked = Date.now() - 1000;
  // Typing before the form hydrates can be lost; retype until the code step shows.
  await expect(async () => {
    const identity = page.getByLabel("Email, phone number or wallet address");
    if (await identity.isVisible()) {
      await identity.fill(email);
      await page.getByRole("button", { name: "Send code" }).click();
    }
    await expect(page.getByLabel("6-digit code")).toBeVisible({ timeout: 3000 });
  }).toPass();
  const code = await latestCode(portal().databaseUrl, email, asked);
  await page.getByLabel("6-digit code").fill(code);
}

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

/** Acme's "Sign in with Werify", through the portal's login and consent, back to Acme. */
async function signInToAcme(page: Page, email: string, options: { screenshot?: string } = {}) {
  await page.goto(acme.url);
  await page.getByRole("link", { name: "Sign in with Werify" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to continue to Acme" })).toBeVisible();
  if (options.screenshot) {
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `${shots}/${options.screenshot}-login.png`, fullPage: true });
  }
  await signInOnPortal(page, email);
  await expect(page.getByRole("heading", { name: "Allow Acme to use your Werify account?" })).toBeVisible();
  await expect(page.getByTestId("consent-item")).toHaveText([/stable account ID/, /Your email address/]);
  if (options.screenshot) {
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `${shots}/${options.screenshot}-consent.png`, fullPage: true });
  }
  await page.getByRole("button", { name: "Allow", exact: true }).click();
  await page.waitForURL(`${acme.url}/`);
}

test("a third-party site's \"Sign in with Werify\" brings the user back signed in, showing their email", async ({ page }) => {
  const email = uniqueEmail("acme");
  await signInToAcme(page, email, { screenshot: "desktop" });
  await expect(page.getByTestId("rp-email")).toHaveText(email);
  await page.screenshot({ path: `${shots}/desktop-acme-signed-in.png` });
});

test("a relying party on openid-client verifies discovery, PKCE, state, nonce, the ID token signature and userinfo", async ({ page }) => {
  const redirectUri = `${capture.url}/callback`;
  const registered = registerWithCli(portal(), ["--name", "Conformance RP", "--redirect-uri", redirectUri]);
  const config = await client.discovery(new URL(portal().url), registered.clientId, registered.clientSecret, client.ClientSecretBasic(registered.clientSecret), {
    execute: [client.allowInsecureRequests],
  });
  expect(config.serverMetadata().issuer).toBe(portal().url);
  const email = uniqueEmail("rp");
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorize = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    login_hint: email,
  });
  await page.goto(authorize.href);
  await expect(page.getByRole("heading", { name: "Sign in to continue to Conformance RP" })).toBeVisible();
  await expect(page.getByLabel("Email, phone number or wallet address")).toHaveValue(email);
  await signInOnPortal(page, email);
  const arrived = capture.next("/callback");
  await page.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(page.getByText("back at the RP")).toBeVisible();
  const callback = await arrived;
  expect(callback.searchParams.get("iss")).toBe(portal().url);

  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
  const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: portal().url, audience: registered.clientId });
  expect(protectedHeader.alg).toBe("RS256");
  expect(payload).toMatchObject({ nonce, email, email_verified: true });
  const info = await client.fetchUserInfo(config, tokens.access_token, payload.sub!);
  expect(info).toEqual({ sub: payload.sub, email, email_verified: true });
});

test("an unregistered redirect_uri shows a portal error page and never leaves the portal", async ({ page }) => {
  const authorize = new URL(`${portal().url}/api/oidc/auth`);
  authorize.search = new URLSearchParams({
    client_id: acme.client.clientId,
    redirect_uri: "https://evil.test/steal",
    response_type: "code",
    scope: "openid",
    code_challenge: "x".repeat(43),
    code_challenge_method: "S256",
  }).toString();
  const left: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).hostname === "evil.test") left.push(request.url());
  });
  const response = await page.goto(authorize.href);
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "This app's return address isn't registered" })).toBeVisible();
  expect(page.url().startsWith(portal().url)).toBe(true);
  expect(left).toEqual([]);
  await page.screenshot({ path: `${shots}/desktop-error.png`, fullPage: true });
});

test("removing Acme on the account page ends its access at once, and it must ask again", async ({ page }) => {
  const email = uniqueEmail("remove");
  await signInToAcme(page, email);
  await page.goto(`${portal().url}/account`);
  const app = page.getByTestId("connected-app").filter({ hasText: "Acme" });
  await expect(app).toContainText("Can see your account ID, email address");
  await expect(app).toContainText("Signed in on 1 device");
  await expect(page.getByTestId("session").filter({ hasText: "Signed in through Acme" })).toBeVisible();
  await page.screenshot({ path: `${shots}/desktop-account.png`, fullPage: true });
  await app.getByRole("button", { name: "Remove Acme's access" }).click();
  await expect(page.getByTestId("connected-app").filter({ hasText: "Acme" })).toHaveCount(0);
  await expect(page.getByTestId("session").filter({ hasText: "Signed in through Acme" })).toHaveCount(0);
  await page.goto(acme.url);
  await expect(page.getByTestId("rp-ended")).toHaveText("Your Werify sign-in ended.");
  await page.getByRole("link", { name: "Sign in with Werify" }).click();
  await expect(page.getByRole("heading", { name: "Allow Acme to use your Werify account?" })).toBeVisible();
});

test("signing out on Acme, after confirming on the portal, signs the browser out of Werify too", async ({ page }) => {
  await signInToAcme(page, uniqueEmail("logout"));
  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign out of Werify?" })).toBeVisible();
  await expect(page.getByText("Acme asked to sign you out.")).toBeVisible();
  await page.screenshot({ path: `${shots}/desktop-logout.png`, fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("rp-signed-out")).toBeVisible();
  await page.goto(`${portal().url}/account`);
  await page.waitForURL(/\/login/);
});

test("a silent sign-in (prompt=none) without a portal session comes back to the app as login_required", async ({ page }) => {
  const redirectUri = `${capture.url}/silent`;
  const registered = registerWithCli(portal(), ["--name", "Silent RP", "--redirect-uri", redirectUri, "--public"]);
  const authorize = new URL(`${portal().url}/api/oidc/auth`);
  authorize.search = new URLSearchParams({
    client_id: registered.clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid",
    prompt: "none",
    state: "quiet",
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: "S256",
  }).toString();
  const arrived = capture.next("/silent");
  await page.goto(authorize.href);
  await expect(page.getByText("back at the RP")).toBeVisible();
  expect(Object.fromEntries((await arrived).searchParams)).toMatchObject({ error: "login_required", state: "quiet", iss: portal().url });
});

test.describe("on a 360 px wide phone", () => {
  test.use({ viewport: { width: 360, height: 760 } });

  test("the app's login, consent and logout pages fit without sideways scrolling", async ({ page }) => {
    const email = uniqueEmail("phone");
    await signInToAcme(page, email, { screenshot: "phone" });
    await expect(page.getByTestId("rp-email")).toHaveText(email);
    await page.getByRole("link", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Sign out of Werify?" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `${shots}/phone-logout.png`, fullPage: true });
    await page.getByRole("button", { name: "Stay signed in" }).click();
    await expect(page.getByTestId("rp-signed-out")).toBeVisible();
    await page.goto(`${portal().url}/account`);
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    await page.screenshot({ path: `${shots}/phone-account.png`, fullPage: true });
  });
});

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test("the consent, logout and error pages have no serious accessibility problems", async ({ page }) => {
      await page.goto(acme.url);
      await page.getByRole("link", { name: "Sign in with Werify" }).click();
      await signInOnPortal(page, uniqueEmail(`a11y-${scheme}`));
      await expect(page.getByRole("heading", { name: "Allow Acme to use your Werify account?" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${shots}/${scheme}-consent.png`, fullPage: true });
      await page.getByRole("button", { name: "Allow", exact: true }).click();
      await page.getByRole("link", { name: "Sign out" }).click();
      await expect(page.getByRole("heading", { name: "Sign out of Werify?" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${shots}/${scheme}-logout.png`, fullPage: true });
      await page.goto(`${portal().url}/api/oidc/auth?client_id=wrf_nobody&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fnobody.test%2F`);
      await expect(page.getByRole("heading", { name: "This app isn't registered" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${shots}/${scheme}-error.png`, fullPage: true });
    });
  });
}
