import { expect, test } from "@playwright/test";

// A fast user on a slow connection can send the form before its script has loaded.
test.use({ javaScriptEnabled: false });

test("sending the form before the page's script loaded keeps where the user was going and what they typed", async ({ page }) => {
  await page.goto("/login?next=%2Fdocs&interaction=abc123");
  await page.getByLabel("Email, phone number or wallet address").fill("early@example.com");
  await page.getByRole("button", { name: "Send code" }).click();
  await page.waitForURL(/login_hint=early%40example\.com/);
  const url = new URL(page.url());
  expect(url.pathname).toBe("/login");
  expect(url.searchParams.get("next")).toBe("/docs");
  expect(url.searchParams.get("interaction")).toBe("abc123");
  await expect(page.getByLabel("Email, phone number or wallet address")).toHaveValue("early@example.com");
});
