import { expect, type Page } from "@playwright/test";
import { latestCode } from "./support/outbox";
import { testWithOwnPortal } from "./support/own-portal";
import { signInWithCode, uniqueEmail } from "./support/sign-in";

const test = testWithOwnPortal();

async function askForCode(page: Page, databaseUrl: string, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email, phone number or wallet address").fill(email);
  const asked = Date.now() - 1000;
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText(`We emailed a code to ${email}.`)).toBeVisible();
  return latestCode(databaseUrl, email, asked);
}

test("signing in by email with the code from the outbox lands on the account page", async ({ page, portal }) => {
  const email = uniqueEmail("code");
  await signInWithCode(page, email, portal);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  await expect(page.getByTestId("session")).toContainText("This device");
});

test("the identity field says what it detected as you type", async ({ page }) => {
  await page.goto("/login");
  const field = page.getByLabel("Email, phone number or wallet address");
  const hint = page.getByTestId("identity-kind");
  await field.fill("someone@example.com");
  await expect(hint).toHaveText("Email address — we will email you a code");
  await field.fill("+44 7911 123456");
  await expect(hint).toHaveText("Mobile number — we will text you a code");
  await field.fill("+44 20 7946 0123");
  await expect(hint).toHaveText("Phone number — we will call you with a code");
  await field.fill("0x8ba1f109551bD432803012645Ac136ddd64DBA72");
  await expect(hint).toHaveText("Ethereum wallet — you will sign a message");
  await expect(page.getByRole("button", { name: "Continue with wallet" })).toBeVisible();
});

test("a wrong code shows the attempts left, and the right one still signs in", async ({ page, portal }) => {
  const email = uniqueEmail("wrong");
  const code = await askForCode(page, portal.databaseUrl, email);
  const wrong = code === "000000" ? "111111" : "000000";
  const field = page.getByLabel("6-digit code");
  await field.fill(wrong);
  await expect(page.getByRole("status")).toHaveText("That code is not right. 4 attempts left.");
  await expect(field).toHaveValue("");
  await expect(field).toBeFocused();
  await field.fill(wrong);
  await expect(page.getByRole("status")).toHaveText("That code is not right. 3 attempts left.");
  await field.fill(code);
  await page.waitForURL("**/account");
});

test("the resend button is disabled while its countdown runs", async ({ page, portal }) => {
  await page.clock.install();
  await askForCode(page, portal.databaseUrl, uniqueEmail("resend"));
  const resend = page.getByRole("button", { name: /^Resend code/ });
  await expect(resend).toBeDisabled();
  await expect(resend).toHaveText(/^Resend code in (30|29|28) s$/);
  await page.clock.fastForward("00:10");
  await expect(resend).toHaveText(/^Resend code in (20|19|18) s$/);
  await expect(resend).toBeDisabled();
  await page.clock.fastForward("00:21");
  await expect(resend).toHaveText("Resend code");
  await expect(resend).toBeEnabled();
});

test("pasting the full code signs in", async ({ page, context, portal }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const email = uniqueEmail("paste");
  const code = await askForCode(page, portal.databaseUrl, email);
  // What a person copies from an email or SMS often has words and a space in it.
  await page.evaluate((text) => navigator.clipboard.writeText(text), `Your code: ${code.slice(0, 3)} ${code.slice(3)}`);
  await page.getByLabel("6-digit code").focus();
  await page.keyboard.press("ControlOrMeta+V");
  await page.waitForURL("**/account");
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
});

test("'Use another identity' goes back to the identity field with what was typed", async ({ page, portal }) => {
  const email = uniqueEmail("another");
  await askForCode(page, portal.databaseUrl, email);
  await page.getByRole("button", { name: "Use another identity" }).click();
  const field = page.getByLabel("Email, phone number or wallet address");
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(email);
});

test("asking again within the cooldown says so and lets you type the code you already have", async ({ page, portal }) => {
  const email = uniqueEmail("again");
  const code = await askForCode(page, portal.databaseUrl, email);
  await page.goto("/login");
  await page.getByLabel("Email, phone number or wallet address").fill(email);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("status")).toContainText("A code was sent to this identity moments ago");
  await expect(page.getByRole("status")).toContainText(/Try again in \d+ seconds/);
  await page.getByRole("button", { name: "I already have a code" }).click();
  await page.getByLabel("6-digit code").fill(code);
  await page.waitForURL("**/account");
});

test("an identity that is not an email, number or wallet gets a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email, phone number or wallet address").fill("not an identity");
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("status")).toHaveText("Enter an email address, a phone number with its country code (+44…), or an Ethereum or Bitcoin address.");
});

test("a signed-in visitor to /login goes straight on to where they were heading", async ({ page, portal }) => {
  await signInWithCode(page, uniqueEmail("already"), portal);
  await page.goto("/login?next=/account");
  await page.waitForURL("**/account");
});
