import { expect, test } from "@playwright/test";

test("the home page says it is a demo and links to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("note")).toContainText("Demo mode");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("pages forbid framing and carry a nonce CSP", async ({ request }) => {
  const response = await request.get("/");
  const csp = response.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-/);
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response.headers()["referrer-policy"]).toBeTruthy();
});

test("an unknown API path answers a JSON 404", async ({ request }) => {
  const response = await request.get("/v1/nothing/here");
  expect(response.status()).toBe(404);
  expect(await response.json()).toMatchObject({ error: "not_found" });
});

test("a body over 16 KiB is refused with 413", async ({ request }) => {
  const response = await request.post("/v1/oauth/sign", { data: { id: "x".repeat(17 * 1024) } });
  expect(response.status()).toBe(413);
  expect(await response.json()).toMatchObject({ error: "payload_too_large" });
});
