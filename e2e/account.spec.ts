import { expect, test, type Browser, type Page } from "@playwright/test";
import { latestCode } from "./support/outbox";
import { startPortal, type Portal } from "./support/portal";
import { signInWithCode, uniqueEmail, uniqueMobile } from "./support/sign-in";

// Its own portal: several devices of one person sign in one after another,
// which the default 30-second resend cooldown would slow down to a crawl.
let portal: Portal;

test.beforeAll(async () => {
  portal = await startPortal({ RESEND_COOLDOWN_SECONDS: "1", LOG_LEVEL: "warn" });
});

test.afterAll(async () => {
  await portal?.stop();
});

async function device(browser: Browser, email: string, userAgent?: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: portal.url, userAgent });
  const page = await context.newPage();
  await signInWithCode(page, email, portal);
  return page;
}

function sessionRow(page: Page, text: string | RegExp) {
  return page.getByTestId("session").filter({ hasText: text });
}

const SENT_TO_SIGN_IN = /\/login\?next=(%2F|\/)account$/;
const PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

test("a signed-out visitor to /account is sent to sign in and comes back", async ({ page }) => {
  await page.goto(`${portal.url}/account`);
  await page.waitForURL(SENT_TO_SIGN_IN);
  const email = uniqueEmail("visitor");
  await page.getByLabel("Email, phone number or wallet address").fill(email);
  const asked = Date.now() - 1000;
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByLabel("6-digit code").fill(await latestCode(portal.databaseUrl, email, asked));
  await page.waitForURL(`${portal.url}/account`);
});

test("revoking a session from a second browser context signs the first one out on its next navigation", async ({ browser }) => {
  const email = uniqueEmail("revoke");
  const laptop = await device(browser, email);
  const phone = await device(browser, email, PHONE_UA);

  await laptop.reload();
  await expect(laptop.getByTestId("session")).toHaveCount(2);
  await expect(sessionRow(laptop, "Mobile Safari on iOS")).toContainText("Signed in with a one-time code");
  await sessionRow(laptop, "Mobile Safari on iOS").getByRole("button", { name: /^Sign out/ }).click();
  await expect(laptop.getByRole("status").filter({ hasText: "was signed out" })).toBeVisible();
  await expect(laptop.getByTestId("session")).toHaveCount(1);

  await phone.goto(`${portal.url}/account`);
  await phone.waitForURL(SENT_TO_SIGN_IN);
  await laptop.reload();
  await expect(laptop.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(laptop.getByTestId("activity").first()).toContainText("A device was signed out from the account page");
});

test("sign out everywhere ends every session", async ({ browser }) => {
  const email = uniqueEmail("everywhere");
  const laptop = await device(browser, email);
  const phone = await device(browser, email, PHONE_UA);
  await laptop.reload();
  await laptop.getByRole("button", { name: "Sign out everywhere" }).click();
  await laptop.getByRole("button", { name: "Yes, sign out everywhere" }).click();
  await laptop.waitForURL(/\/login$/);
  await laptop.goto(`${portal.url}/account`);
  await laptop.waitForURL(SENT_TO_SIGN_IN);
  await phone.goto(`${portal.url}/account`);
  await phone.waitForURL(SENT_TO_SIGN_IN);
});

test("signing out ends this browser's session only", async ({ browser }) => {
  const email = uniqueEmail("signout");
  const laptop = await device(browser, email);
  const phone = await device(browser, email, PHONE_UA);
  await phone.getByRole("button", { name: "Sign out", exact: true }).click();
  await phone.waitForURL(/\/login$/);
  await phone.goto(`${portal.url}/account`);
  await phone.waitForURL(SENT_TO_SIGN_IN);
  await laptop.reload();
  await expect(laptop.getByTestId("session")).toHaveCount(1);
  await expect(laptop.getByTestId("activity").first()).toContainText("Signed out");
});

test("adding a phone number to an account and then signing in with it lands on the same account", async ({ browser, page }) => {
  const email = uniqueEmail("phone");
  const number = uniqueMobile();
  const laptop = await device(browser, email);

  await laptop.getByRole("button", { name: "Add an email, number or wallet" }).click();
  await laptop.getByLabel("Email, phone number or wallet address").fill(number);
  await expect(laptop.getByText("Mobile number — we will text you a code")).toBeVisible();
  const asked = Date.now() - 1000;
  await laptop.getByRole("button", { name: "Send code" }).click();
  await expect(laptop.getByRole("status").filter({ hasText: `We texted a code to ${number}` })).toBeVisible();
  await laptop.getByLabel("6-digit code").fill(await latestCode(portal.databaseUrl, number, asked));
  await expect(laptop.getByRole("status").filter({ hasText: `${number} was added` })).toBeVisible();
  await expect(laptop.getByTestId("identity")).toHaveCount(2);
  await expect(laptop.getByTestId("identity").filter({ hasText: number })).toContainText("Mobile");
  // The code that added the number started its resend cooldown (1 s in this portal); a person signs in later than that.
  const added = Date.now();
  await expect.poll(() => Date.now() - added, { message: "the number's resend cooldown has passed" }).toBeGreaterThan(1_100);

  await page.goto(`${portal.url}/login`);
  await signInWithCode(page, number, { ...portal, recipient: number });
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  await expect(page.getByTestId("identity").filter({ hasText: number })).toBeVisible();

  // Either can go now, but never both.
  await page.getByTestId("identity").filter({ hasText: email }).getByRole("button", { name: `Remove ${email}` }).click();
  await page.getByRole("button", { name: "Yes, remove" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${email} was removed` })).toBeVisible();
  await expect(page.getByTestId("identity")).toHaveCount(1);
  await expect(page.getByTestId("identity")).toContainText("Your only way to sign in");
});

test("an identity that belongs to another account cannot be added", async ({ browser }) => {
  const taken = uniqueEmail("taken");
  await device(browser, taken);
  const other = await device(browser, uniqueEmail("other"));
  await other.getByRole("button", { name: "Add an email, number or wallet" }).click();
  await other.getByLabel("Email, phone number or wallet address").fill(taken);
  const asked = Date.now() - 1000;
  await other.getByRole("button", { name: "Send code" }).click();
  await other.getByLabel("6-digit code").fill(await latestCode(portal.databaseUrl, taken, asked));
  await expect(other.getByRole("status").filter({ hasText: "belongs to another account" })).toBeVisible();
  await other.reload();
  await expect(other.getByTestId("identity")).toHaveCount(1);
});

test("the sign-in and account pages send the security headers", async ({ request }) => {
  for (const path of ["/login", "/account", "/dev/outbox"]) {
    const response = await request.get(`${portal.url}${path}`, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("no-referrer");
    expect(headers["x-frame-options"], path).toBe("DENY");
  }
});
