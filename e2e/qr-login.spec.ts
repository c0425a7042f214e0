import { mkdirSync } from "node:fs";
import { expect, test, type Browser, type BrowserContext, type Page, devices } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { UAParser } from "ua-parser-js";
import { latestCode } from "./support/outbox";
import { startPortal, type Portal } from "./support/portal";
import { uniqueEmail } from "./support/sign-in";

const shots = "e2e/screenshots";
mkdirSync(shots, { recursive: true });

// Its own portal: QR codes and sign-ins from 127.0.0.1 would otherwise eat the shared portal's per-address budget.
let portal: Portal;
test.beforeAll(async () => {
  portal = await startPortal({ LOG_LEVEL: "warn" });
});
test.afterAll(async () => {
  await portal?.stop();
});

type Created = { qr_token: string; qr_url: string; poll_token: string };

/** Every URL a page asked for or navigated to, to prove a secret never travels in one. */
function recordUrls(page: Page, into: string[]) {
  page.on("request", (request) => into.push(request.url()));
  page.on("framenavigated", (frame) => into.push(frame.url()));
}

/** Opens the QR tab and returns what the server handed the page, read from the network (the page never keeps poll_token). */
async function openQrTab(page: Page, base: string, next = "/account"): Promise<Created> {
  const created = page.waitForResponse((r) => r.url() === `${base}/v1/oauth/qr` && r.request().method() === "GET");
  const polling = page.waitForRequest((r) => r.url() === `${base}/v1/oauth/qr` && r.method() === "POST");
  await page.goto(`${base}/login?tab=qr&next=${encodeURIComponent(next)}`);
  const body = (await (await created).json()) as Created;
  await polling;
  await expect(page.getByRole("img", { name: "QR code to scan with your phone" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("Waiting for your phone to scan the code");
  return body;
}

/** Reads the QR code off a screenshot of the whole page with a real decoder (retried while the code fades in). */
async function decodeQr(page: Page): Promise<string> {
  let data = "";
  await expect
    .poll(async () => {
      const png = PNG.sync.read(await page.screenshot());
      data = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? "";
      return data;
    }, { message: "a readable QR code on the page" })
    .not.toBe("");
  return data;
}

async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ ...devices["Galaxy S8"] });
}

/** The phone opens the scanned URL, is sent to sign in first, signs in with a code and comes back. */
async function signInOnPhone(phone: Page, base: string, scannedUrl: string, email: string) {
  await phone.goto(scannedUrl);
  await expect(phone).toHaveURL(`${base}/login?next=${encodeURIComponent(new URL(scannedUrl).pathname)}`);
  await phone.getByLabel("Email, phone number or wallet address").fill(email);
  const asked = Date.now() - 1000;
  await phone.getByRole("button", { name: "Send code" }).click();
  const code = await latestCode(portal.databaseUrl, email, asked);
  await phone.getByLabel("6-digit code").fill(code);
  await phone.waitForURL(scannedUrl);
}

async function signedInUser(page: Page): Promise<string | undefined> {
  const session = (await (await page.request.get(`${portal.url}/api/auth/session`)).json()) as { user?: { id?: string } };
  return session.user?.id;
}

test("a phone signed in by code approves the QR code, and the desktop signs in without reloading", async ({ page, browser }) => {
  const urls: string[] = [];
  recordUrls(page, urls);
  const qr = await openQrTab(page, portal.url);
  await page.screenshot({ path: `${shots}/qr-tab-waiting-1280.png`, fullPage: true });

  const scanned = await decodeQr(page);
  expect(scanned).toBe(`${portal.url}/qr/${qr.qr_token}`);
  expect(scanned).not.toContain(qr.poll_token);
  const pollCookie = (await page.context().cookies()).find((c) => c.value === qr.poll_token);
  expect(pollCookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/v1/oauth/qr" });

  const phoneContextInstance = await phoneContext(browser);
  const phone = await phoneContextInstance.newPage();
  recordUrls(phone, urls);
  const email = uniqueEmail("qr-phone");
  await signInOnPhone(phone, portal.url, scanned, email);

  const desktopUa = UAParser(await page.evaluate(() => navigator.userAgent));
  await expect(phone.getByRole("heading", { name: "Sign in on another screen?" })).toBeVisible();
  await expect(phone.getByText(email)).toBeVisible();
  await expect(phone.getByRole("definition").filter({ hasText: `${desktopUa.browser.name} ${desktopUa.browser.major}` })).toBeVisible();
  await expect(phone.getByRole("definition").filter({ hasText: `${desktopUa.os.name}` })).toBeVisible();
  await expect(phone.getByRole("definition").filter({ hasText: "Local network" })).toBeVisible();
  await expect(phone.getByText("If you did not start this sign-in on another screen, deny it.")).toBeVisible();
  await phone.screenshot({ path: `${shots}/qr-phone-approval-360.png`, fullPage: true });

  await expect(page.getByRole("status")).toHaveText("Scanned — confirm on your phone");
  await page.screenshot({ path: `${shots}/qr-tab-scanned-1280.png`, fullPage: true });

  // Keyboard only: Deny, then Tab to Approve, then Enter.
  await phone.getByRole("button", { name: "Deny" }).focus();
  await phone.keyboard.press("Tab");
  await expect(phone.getByRole("button", { name: "Approve" })).toBeFocused();
  await phone.keyboard.press("Enter");
  await expect(phone.getByRole("heading", { name: "Sign-in approved" })).toBeVisible();
  await phone.screenshot({ path: `${shots}/qr-phone-approved-360.png`, fullPage: true });

  await page.waitForURL(`${portal.url}/account`);
  const phoneUser = await signedInUser(phone);
  expect(phoneUser).toBeTruthy();
  expect(await signedInUser(page)).toBe(phoneUser);

  for (const url of urls) expect(url).not.toContain(qr.poll_token);
  await phoneContextInstance.close();
});

test("denying on the phone tells the desktop, which stays signed out", async ({ page, browser }) => {
  const qr = await openQrTab(page, portal.url);
  const scanned = await decodeQr(page);
  expect(scanned).toBe(qr.qr_url);
  const context = await phoneContext(browser);
  const phone = await context.newPage();
  await signInOnPhone(phone, portal.url, scanned, uniqueEmail("qr-deny"));
  await phone.getByRole("button", { name: "Deny" }).click();
  await expect(phone.getByRole("heading", { name: "Sign-in denied" })).toBeVisible();

  await expect(page.getByRole("status")).toHaveText("Sign-in was denied on your phone.");
  await expect(page.getByRole("button", { name: "New code" })).toBeVisible();
  await page.screenshot({ path: `${shots}/qr-tab-denied-1280.png`, fullPage: true });
  await expect(page).toHaveURL(/\/login\?/);
  expect(await signedInUser(page)).toBeUndefined();

  // Opening the answered code again shows that it cannot be used twice.
  await phone.goto(scanned);
  await expect(phone.getByRole("heading", { name: "This request was already answered" })).toBeVisible();

  // "New code" starts over with a fresh, different code.
  await page.getByRole("button", { name: "New code" }).click();
  await expect(page.getByRole("status")).toHaveText("Waiting for your phone to scan the code");
  expect(await decodeQr(page)).not.toBe(scanned);
  await context.close();
});

test("the QR tab and the phone page fit a 360 px screen", async ({ browser }) => {
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ ...devices["Galaxy S8"], colorScheme });
    const page = await context.newPage();
    await openQrTab(page, portal.url);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: `${shots}/qr-tab-waiting-360${colorScheme === "dark" ? "-dark" : ""}.png`, fullPage: true });
    expect(await decodeQr(page)).toContain("/qr/wrf");
    await context.close();
  }
});

test("an approval made through a second portal process on the same SQLite file reaches the desktop", async ({ page, request }) => {
  const second = await startPortal({ DATABASE_URL: portal.databaseUrl, LOG_LEVEL: "warn" });
  try {
    const qr = await openQrTab(page, portal.url);
    const email = uniqueEmail("qr-other-instance");
    await request.post(`${second.url}/v1/oauth/sign`, { data: { id: email } });
    const verified = await request.post(`${second.url}/v1/oauth/verify`, { data: { id: email, code: await latestCode(portal.databaseUrl, email) } });
    const { access_token: accessToken } = (await verified.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${accessToken}` };

    const scan = await request.get(`${second.url}/v1/oauth/qr/authorize?qr_token=${qr.qr_token}`, { headers: auth });
    expect(scan.status()).toBe(200);
    await expect(page.getByRole("status")).toHaveText("Scanned — confirm on your phone");
    const approve = await request.post(`${second.url}/v1/oauth/qr/authorize`, { data: { qr_token: qr.qr_token, decision: "approve" }, headers: auth });
    expect(await approve.json()).toEqual({ status: "approved" });
    await page.waitForURL(`${portal.url}/account`);
    expect(await signedInUser(page)).toBeTruthy();
  } finally {
    await second.stop();
  }
});

test("another site cannot scan or approve a QR login with the phone's browser session", async ({ page, browser }) => {
  const qr = await openQrTab(page, portal.url);
  const context = await phoneContext(browser);
  const phone = await context.newPage();
  await signInOnPhone(phone, portal.url, await decodeQr(page), uniqueEmail("qr-csrf"));
  const body = { qr_token: qr.qr_token, decision: "approve" };
  const forged = await context.request.post(`${portal.url}/v1/oauth/qr/authorize`, { data: body, headers: { origin: "https://attacker.example" } });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toMatchObject({ error: "access_denied" });
  const noOrigin = await context.request.post(`${portal.url}/v1/oauth/qr/authorize`, { data: body });
  expect(noOrigin.status()).toBe(403);
  const crossSite = await context.request.get(`${portal.url}/v1/oauth/qr/authorize?qr_token=${qr.qr_token}`, { headers: { "sec-fetch-site": "cross-site" } });
  expect(crossSite.status()).toBe(403);
  // The screen is still waiting for an honest answer.
  await expect(page.getByRole("status")).toHaveText("Scanned — confirm on your phone");
  await context.close();
});
