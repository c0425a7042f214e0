import { expect, test } from "@playwright/test";
import { startPortal, type Portal } from "./support/portal";
import { uniqueEmail } from "./support/sign-in";

test.describe("the demo outbox", () => {
  // Behind a trusted local proxy, so a test can also come "from" another machine.
  let portal: Portal;
  test.beforeAll(async () => {
    portal = await startPortal({ TRUSTED_PROXIES: "127.0.0.1,::1", LOG_LEVEL: "warn" });
  });
  test.afterAll(async () => {
    await portal?.stop();
  });

  test("shows the newest code first, large and copyable, with its recipient and channel", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    for (const id of [first, second]) {
      const response = await page.request.post(`${portal.url}/v1/oauth/sign`, { data: { id } });
      expect(response.status()).toBe(200);
    }
    await page.goto(`${portal.url}/dev/outbox`);
    const messages = page.getByTestId("outbox-message");
    await expect(messages).toHaveCount(2);
    await expect(messages.first()).toContainText(`Email to ${second}`);
    await expect(messages.nth(1)).toContainText(first);
    const code = (await messages.first().getByText(/^\d{6}$/).textContent())!;
    await messages.first().getByRole("button", { name: "Copy code" }).click();
    await expect(messages.first().getByRole("status")).toHaveText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  });

  test("answers 404 to a client that is not on this machine", async ({ request }) => {
    const remote = await request.get(`${portal.url}/dev/outbox`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(remote.status()).toBe(404);
    expect(await remote.text()).not.toMatch(/Outbox|would have sent/);
    const local = await request.get(`${portal.url}/dev/outbox`);
    expect(local.status()).toBe(200);
  });
});

test("/dev/outbox answers 404 when the server is not in demo mode", async ({ request }) => {
  const production = await startPortal({ PORTAL_MODE: "production", DELIVERY: "outbox", UNSAFE_OUTBOX_IN_PRODUCTION: "yes-codes-are-discarded", LOG_LEVEL: "warn" });
  try {
    const response = await request.get(`${production.url}/dev/outbox`);
    expect(response.status()).toBe(404);
    const page = await request.get(`${production.url}/login`);
    expect(await page.text()).not.toContain("Demo mode");
  } finally {
    await production.stop();
  }
});
