import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import type { OpenApiDocument } from "../lib/openapi/types";

const SHOTS = "e2e/screenshots";

async function description(page: Page): Promise<OpenApiDocument> {
  const response = await page.request.get("/v1/openapi.json");
  expect(response.status()).toBe(200);
  return (await response.json()) as OpenApiDocument;
}

test("the API reference shows every endpoint of /v1/openapi.json with a curl example", async ({ page }) => {
  const doc = await description(page);
  await page.goto("/docs");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(doc.info.title);
  let count = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      count++;
      const section = page.locator(`section#${operation!.operationId}`);
      await expect(section.getByRole("heading", { level: 3 }), `${method} ${path}`).toHaveText(operation!.summary);
      await expect(section.getByText(path, { exact: true }).first()).toBeVisible();
      await expect(section.getByText(method.toUpperCase(), { exact: true }).first()).toBeVisible();
      const curl = section.locator("figure", { hasText: "Example request" }).locator("pre");
      await expect(curl).toContainText("curl");
      await expect(curl).toContainText(`${doc.servers[0].url}${path}`);
      if (method === "post") await expect(curl).toContainText(`-X POST`);
    }
  }
  expect(count).toBeGreaterThanOrEqual(13);
  await expect(page.locator("main section[id] h3")).toHaveCount(count);
});

test("the sign example is the one from the Werify documentation, and copying it works", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/docs");
  const sign = page.locator("section#startSignIn");
  const curl = sign.locator("figure", { hasText: "Example request" });
  await expect(curl.locator("pre")).toHaveText(/curl -X POST http:\/\/localhost:\d+\/v1\/oauth\/sign \\\s+-H 'content-type: application\/json' \\\s+-d '\{"id":"hi@trader4\.net"\}'/);
  await curl.getByRole("button", { name: "Copy" }).click();
  await expect(curl.getByRole("status")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("/v1/oauth/sign");
  await expect(sign.getByText("invalid_identity", { exact: true })).toBeVisible();
  await expect(sign.getByText("region_not_allowed", { exact: true })).toBeVisible();
});

test("the table of contents jumps to an endpoint", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/docs");
  const contents = page.getByRole("navigation", { name: "API reference", exact: true });
  await contents.getByRole("link", { name: /Refresh the tokens/ }).click();
  await expect(page).toHaveURL(/#refreshTokens$/);
  await expect(page.getByRole("heading", { name: "Refresh the tokens" })).toBeInViewport();
});

test("on a phone the contents fold away, open by keyboard, and nothing scrolls sideways", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto("/docs");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expect(page.getByRole("navigation", { name: "API reference", exact: true })).toBeHidden();
  const toggle = page.locator("summary", { hasText: "On this page" });
  await toggle.focus();
  await page.keyboard.press("Enter");
  const compact = page.getByRole("navigation", { name: "API reference (compact)" });
  await compact.getByRole("link", { name: /Poll a QR code/ }).click();
  await expect(page).toHaveURL(/#pollQrLogin$/);
  await expect(page.getByRole("heading", { name: "Poll a QR code" })).toBeInViewport();
});

test("the API reference has no serious accessibility problems, light or dark", async ({ page }) => {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto("/docs");
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), colorScheme).toEqual([]);
  }
});

test("screenshots of the API reference at 360 and 1280 px, light and dark", async ({ page }) => {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      await page.goto("/docs");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/docs-${width}-${colorScheme}-top.png` });
      await page.goto("/docs#verifyCode");
      await expect(page.getByRole("heading", { name: "Finish a sign-in" })).toBeInViewport();
      await page.screenshot({ path: `${SHOTS}/docs-${width}-${colorScheme}-verify.png` });
    }
  }
});
