import { randomBytes, randomInt } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { expect, type Page } from "@playwright/test";
import { latestCode } from "./outbox";

export function uniqueEmail(label = "user"): string {
  return `${label}-${randomBytes(5).toString("hex")}@example.com`;
}

type Target = { url?: string; databaseUrl?: string };

/** When each identity last asked for a code in this run. */
const lastAsked = new Map<string, number>();

/**
 * Signs a browser in through the Code tab of /login, as a person would:
 * type the identity, send the code, type the code from the demo outbox.
 * `recipient` is the identity as the outbox stores it (lower-case email, E.164 number).
 */
export async function signInWithCode(page: Page, identity: string, options: Target & { recipient?: string; next?: string } = {}) {
  const base = options.url ?? process.env.PORTAL_URL!;
  const databaseUrl = options.databaseUrl ?? process.env.PORTAL_DATABASE_URL!;
  const next = options.next ?? "/account";
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email, phone number or wallet address").fill(identity);
  // A second device of the same person asks after the first one's resend cooldown (specs that sign one person in
  // twice run their portal with a 1 s cooldown), as a person would.
  const previous = lastAsked.get(identity);
  if (previous) await expect.poll(() => Date.now() - previous, { message: "the resend cooldown has passed" }).toBeGreaterThan(1_100);
  lastAsked.set(identity, Date.now());
  const asked = Date.now() - 1000;
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText(/^We (emailed|texted) a code to/)).toBeVisible();
  const code = await latestCode(databaseUrl, options.recipient ?? identity.toLowerCase(), asked);
  await page.getByLabel("6-digit code").fill(code);
  await page.waitForURL(`${base}${next}`);
}

/** A UK mobile number nobody else in the run uses (GB only: some +447911 ranges are Jersey or Guernsey). */
export function uniqueMobile(): string {
  for (;;) {
    const number = `+447911${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
    const parsed = parsePhoneNumberFromString(number);
    if (parsed?.getType() === "MOBILE" && parsed.country === "GB") return number;
  }
}
