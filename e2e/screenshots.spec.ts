import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { latestCode } from "./support/outbox";
import { startPortal, type Portal } from "./support/portal";
import { signInWithCode, uniqueEmail } from "./support/sign-in";

// Written on every run so a person can look at the pages (issue 5).
const dir = "e2e/screenshots";
mkdirSync(dir, { recursive: true });

const sizes = [
  { width: 360, height: 780 },
  { width: 1280, height: 900 },
];

// Its own portal: eight sign-ins from one address would eat the shared portal's per-IP budget.
let portal: Portal;
test.beforeAll(async () => {
  portal = await startPortal({ RESEND_COOLDOWN_SECONDS: "1", LOG_LEVEL: "warn" });
});
test.afterAll(async () => {
  await portal?.stop();
});

const PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

for (const size of sizes) {
  for (const scheme of ["light", "dark"] as const) {
    test.describe(`${size.width} px, ${scheme}`, () => {
      test.use({ viewport: size, colorScheme: scheme });
      const suffix = `${size.width}${scheme === "dark" ? "-dark" : ""}`;

      test("sign-in page: both tabs and the code step", async ({ page }) => {
        await page.goto(`${portal.url}/login`);
        await page.getByLabel("Email, phone number or wallet address").fill("someone@example.com");
        await expect(page.getByTestId("identity-kind")).toContainText("Email address");
        await shoot(page, `login-code-tab-${suffix}`);

        await page.getByRole("tab", { name: "QR code" }).click();
        await expect(page.getByRole("tab", { name: "QR code" })).toHaveAttribute("aria-selected", "true");
        await expect(page.getByRole("img", { name: "QR code to scan with your phone" })).toBeVisible();
        await shoot(page, `login-qr-tab-${suffix}`);

        await page.getByRole("tab", { name: "Code", exact: true }).click();
        await page.getByLabel("Email, phone number or wallet address").fill(uniqueEmail(`shot-${size.width}-${scheme}`));
        await page.getByRole("button", { name: "Send code" }).click();
        await page.getByLabel("6-digit code").fill("000000");
        await expect(page.getByRole("status")).toContainText("attempts left");
        await shoot(page, `login-code-step-${suffix}`);
      });

      test("account page", async ({ page, browser }) => {
        const email = uniqueEmail(`shot-account-${size.width}-${scheme}`);
        await signInWithCode(page, email, portal);
        // a second device and a second identity, so the page shows what it is for
        const phone = await browser.newContext({ userAgent: PHONE_UA });
        await signInWithCode(await phone.newPage(), email, portal);
        await phone.close();
        const work = uniqueEmail("work");
        await page.getByRole("button", { name: "Add an email, number or wallet" }).click();
        await page.getByLabel("Email, phone number or wallet address").fill(work);
        const asked = Date.now() - 1000;
        await page.getByRole("button", { name: "Send code" }).click();
        await page.getByLabel("6-digit code").fill(await latestCode(portal.databaseUrl, work, asked));
        await expect(page.getByTestId("identity")).toHaveCount(2);
        await page.reload();
        await page.getByRole("button", { name: "Add an email, number or wallet" }).click();
        await page.getByLabel("Email, phone number or wallet address").fill("+44 7911 123456");
        await expect(page.getByText("Mobile number — we will text you a code")).toBeVisible();
        await shoot(page, `account-${suffix}`);
      });

      test("outbox page", async ({ page }) => {
        await page.request.post(`${portal.url}/v1/oauth/sign`, { data: { id: uniqueEmail(`shot-outbox-${size.width}-${scheme}`) } });
        await page.goto(`${portal.url}/dev/outbox`);
        await expect(page.getByTestId("outbox-message").first()).toBeVisible();
        await shoot(page, `outbox-${suffix}`);
      });
    });
  }
}
