import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { testWithOwnPortal } from "./support/own-portal";
import { signInWithCode, uniqueEmail } from "./support/sign-in";

const test = testWithOwnPortal();

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test("the Code tab of /login has no serious accessibility problems", async ({ page }) => {
      await page.goto("/login");
      await expect(page.getByLabel("Email, phone number or wallet address")).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("the QR code tab of /login has no serious accessibility problems", async ({ page }) => {
      await page.goto("/login");
      await page.getByRole("tab", { name: "QR code" }).click();
      await expect(page.getByRole("tab", { name: "QR code" })).toHaveAttribute("aria-selected", "true");
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("the code step has no serious accessibility problems, including after a wrong code", async ({ page }) => {
      await page.goto("/login");
      await page.getByLabel("Email, phone number or wallet address").fill(uniqueEmail(`a11y-${scheme}`));
      await page.getByRole("button", { name: "Send code" }).click();
      await expect(page.getByLabel("6-digit code")).toBeFocused();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel("6-digit code").fill("000000");
      await expect(page.getByRole("status")).toContainText(/not right|no longer/);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("/account has no serious accessibility problems", async ({ page, portal }) => {
      await signInWithCode(page, uniqueEmail(`a11y-account-${scheme}`), portal);
      await page.getByRole("button", { name: "Add an email, number or wallet" }).click();
      await expect(page.getByRole("heading", { name: "Add a way to sign in" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

test("/dev/outbox has no serious accessibility problems", async ({ page }) => {
  await page.request.post("/v1/oauth/sign", { data: { id: uniqueEmail("a11y-outbox") } });
  await page.goto("/dev/outbox");
  await expect(page.getByTestId("outbox-message").first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("the code form works with the keyboard alone", async ({ page }) => {
  await page.goto("/login");
  // Tab from the page start to the identity field: tabs first, then the form.
  const field = page.getByLabel("Email, phone number or wallet address");
  for (let i = 0; i < 10 && !(await field.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(field).toBeFocused();
  await page.keyboard.type(uniqueEmail("keys"));
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("6-digit code")).toBeFocused();
  const outline = await page.getByLabel("6-digit code").evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
});
