import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./index";

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("configuration", () => {
  it("a production start with nothing set names every missing variable", () => {
    const found = problems({ PORTAL_MODE: "production" });
    expect(found.some((p) => p.startsWith("APP_SECRET: is not set"))).toBe(true);
    expect(found.some((p) => p.startsWith("PUBLIC_URL: is not set"))).toBe(true);
    expect(found.some((p) => p.startsWith("SMTP_URL:") && p.includes("SMS_PROVIDER"))).toBe(true);
  });

  it("a malformed variable is named with what to set", () => {
    const found = problems({ PORTAL_MODE: "production", APP_SECRET: "x".repeat(40), PUBLIC_URL: "https://login.example.com", SMTP_URL: "mail.example.com", CODE_TTL_SECONDS: "3600" });
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^SMTP_URL: SMTP_URL must look like/), expect.stringMatching(/^CODE_TTL_SECONDS:/)]));
  });

  it("Twilio without its credentials is refused, naming each one", () => {
    const found = problems({ PORTAL_MODE: "production", APP_SECRET: "x".repeat(40), PUBLIC_URL: "https://login.example.com", SMS_PROVIDER: "twilio" });
    expect(found.map((p) => p.split(":")[0])).toEqual(["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"]);
  });

  it("a complete production configuration is accepted with SPEC defaults", () => {
    const config = parseConfig({ PORTAL_MODE: "production", APP_SECRET: "x".repeat(40), PUBLIC_URL: "https://login.example.com/", SMTP_URL: "smtp://u:p@mail:587" });
    expect(config).toMatchObject({ demo: false, postgres: false, publicOrigin: "https://login.example.com", CODE_TTL_SECONDS: 300, CODE_MAX_ATTEMPTS: 5, SMS_ALLOWED_COUNTRIES: ["GB", "US", "CA", "DE", "FR", "NL"] });
  });
});
