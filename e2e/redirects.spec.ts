import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { latestCode } from "./support/outbox";
import { signInWithCode, uniqueEmail } from "./support/sign-in";

// What an attacker puts after `/login?next=`, exactly as typed into a link
// (percent-escapes included): each tries to land the victim somewhere other
// than the portal once signed in, or to break the Location header.
const HOSTILE = [
  "/%09/evil.com",
  "//evil.com",
  "/%5Cevil.com",
  "%5C%5Cevil.com",
  "/%252f%252fevil.com",
  "/%2F%2Fevil.com",
  "/%252509/evil.com",
  "https:evil.com",
  "https://evil.com",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
  "%09//evil.com",
  "/%0d%0aSet-Cookie:%20x=1",
  "/%250d%250aSet-Cookie:x",
  "%0d%0a",
  "/x%00",
  "//evil%E3%80%82com",
  "/%E3%80%82/evil.com",
  "//evil%25E3%2580%2582com",
  "/%EF%BC%8F/evil.com",
  "@evil.com",
  "//user@evil.com",
  "http://localhost@evil.com",
  "///evil.com",
  "/.//evil.com",
  "/%2e%2e//evil.com",
  "/account&next=//evil.com",
  "",
  `/${"a".repeat(3000)}`,
];

// Through the whole code sign-in: the reported one, a unicode dot, dot segments, a header break, script.
const SIGNED_IN_FROM = ["/%09/evil.com", "//evil%E3%80%82com", "/.//evil.com", "/%0d%0aSet-Cookie:%20x=1", "javascript:alert(1)"];

// Where a person may legitimately be heading: kept.
const KEPT: [string, string][] = [
  ["%2Faccount%3Ftab%3D1%23x", "/account?tab=1#x"],
  ["/@evil.com", "/@evil.com"],
];

const base = () => process.env.PORTAL_URL!;
const databaseUrl = () => process.env.PORTAL_DATABASE_URL!;
const loginUrl = (next: string) => `${base()}/login?next=${next}`;

/**
 * Records every answer of 500 or more, every request that leaves the portal
 * (cut off, where the browser lets a route see it) and every script dialog.
 */
async function watch(context: BrowserContext) {
  const seen = { serverErrors: [] as string[], leftThePortal: [] as string[], dialogs: [] as string[] };
  const foreign = (url: string) => /^https?:/i.test(url) && new URL(url).origin !== base();
  context.on("request", (request) => {
    if (foreign(request.url())) seen.leftThePortal.push(request.url());
  });
  await context.route((url) => foreign(url.href), (route) => route.abort());
  context.on("response", (response) => {
    if (response.status() >= 500) seen.serverErrors.push(`${response.status()} ${response.url()}`);
  });
  context.on("page", (page) =>
    page.on("dialog", (dialog) => {
      seen.dialogs.push(dialog.message());
      void dialog.dismiss();
    }),
  );
  return seen;
}

/** Where the browser is once the server has answered `/login?next=…`. */
async function landing(page: Page, next: string): Promise<string> {
  // The redirect is the server's answer: no need to load the page it leads to.
  const response = await page.goto(loginUrl(next), { waitUntil: "commit" }).catch((error: Error) => error);
  if (response instanceof Error) return response.message.split("\n")[0];
  return response && response.status() >= 500 ? `HTTP ${response.status()}` : page.url();
}

/** The code sign-in a signed-out person goes through, starting from a hostile link. */
async function signInFrom(page: Page, next: string) {
  await page.goto(loginUrl(next));
  const email = uniqueEmail("redirect");
  await page.getByLabel("Email, phone number or wallet address").fill(email);
  const asked = Date.now() - 1000;
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText(/^We emailed a code to/)).toBeVisible();
  await page.getByLabel("6-digit code").fill(await latestCode(databaseUrl(), email, asked));
}

// Results keyed by value, so a failure lists every value that got through at once.
const shown = (next: string) => (next.length > 80 ? `${next.slice(0, 12)}… (${next.length} characters)` : next);
const everyValue = (values: string[], outcome: string) => Object.fromEntries(values.map((next) => [shown(next), outcome]));

test("a hostile next= link sends a signed-in visitor to their account, never off the portal, never to a 500", async ({ browser }) => {
  const context = await browser.newContext();
  const seen = await watch(context);
  const page = await context.newPage();
  await signInWithCode(page, uniqueEmail("signed-in"), { url: base(), databaseUrl: databaseUrl() });
  const landed: Record<string, string> = {};
  for (const next of HOSTILE) landed[shown(next)] = await landing(page, next);
  expect(landed).toEqual(everyValue(HOSTILE, `${base()}/account`));
  for (const [next, path] of KEPT) expect(await landing(page, next), next).toBe(`${base()}${path}`);
  expect(seen).toEqual({ serverErrors: [], leftThePortal: [], dialogs: [] });
  await context.close();
});

test("after signing in with a code from a hostile next= link, the browser stays on the portal", async ({ browser }) => {
  const context = await browser.newContext();
  const seen = await watch(context);
  const page = await context.newPage();
  // A few through the whole sign-in.
  for (const next of SIGNED_IN_FROM) {
    await signInFrom(page, next);
    await expect(page, next).toHaveURL(`${base()}/account`);
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    await context.clearCookies();
  }
  await signInFrom(page, KEPT[0][0]);
  await expect(page).toHaveURL(`${base()}${KEPT[0][1]}`);
  await context.clearCookies();
  // Every value: where both sign-in tabs will send the browser, as the signed-out page says.
  const targets: Record<string, string | null> = {};
  for (const next of HOSTILE) {
    const response = await page.goto(loginUrl(next), { waitUntil: "commit" });
    targets[shown(next)] = response?.ok() ? await page.locator("[data-next]").getAttribute("data-next", { timeout: 5000 }) : `HTTP ${response?.status()}`;
  }
  expect(targets).toEqual(everyValue(HOSTILE, "/account"));
  expect(seen).toEqual({ serverErrors: [], leftThePortal: [], dialogs: [] });
  await context.close();
});
