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

  it("a malformed TRUSTED_PROXIES is refused at start, naming it, instead of crashing the server", () => {
    const base = { PORTAL_MODE: "demo", APP_SECRET: "x".repeat(40) };
    for (const bad of ["10.0.0.0/33", "not-an-ip", "10.0.0.1/8/1", "::1/129", "10.0.0.0/x"]) {
      expect(problems({ ...base, TRUSTED_PROXIES: bad }), bad).toEqual([expect.stringMatching(/^TRUSTED_PROXIES: .*CIDR/)]);
    }
    expect(problems({ ...base, TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.7,2001:db8::/32" })).toEqual([]);
  });

  it("Twilio without its credentials is refused, naming each one", () => {
    const found = problems({ PORTAL_MODE: "production", APP_SECRET: "x".repeat(40), PUBLIC_URL: "https://login.example.com", SMS_PROVIDER: "twilio" });
    expect(found.map((p) => p.split(":")[0])).toEqual(["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"]);
  });

  it("a complete production configuration is accepted with SPEC defaults", () => {
    const config = parseConfig({ PORTAL_MODE: "production", APP_SECRET: "x".repeat(40), PUBLIC_URL: "https://login.example.com/", SMTP_URL: "smtp://u:p@mail:587" });
    expect(config).toMatchObject({ demo: false, postgres: false, publicOrigin: "https://login.example.com", CODE_TTL_SECONDS: 300, CODE_MAX_ATTEMPTS: 5, SMS_ALLOWED_COUNTRIES: ["GB", "US", "CA", "DE", "FR", "NL"] });
  });

  it("a production start with DELIVERY=outbox is refused, naming the override", () => {
    const found = problems({ PORTAL_MODE: "production", APP_SECRET: "x".repeat(40), PUBLIC_URL: "https://login.example.com", DELIVERY: "outbox" });
    expect(found).toEqual([expect.stringMatching(/^DELIVERY: outbox is for demo mode.*UNSAFE_OUTBOX_IN_PRODUCTION=yes-codes-are-discarded/)]);
  });

  it("a production start with DELIVERY=outbox is refused even beside a configured provider", () => {
    const found = problems({ PORTAL_MODE: "production", APP_SECRET: "x".repeat(40), PUBLIC_URL: "https://login.example.com", SMTP_URL: "smtp://u:p@mail:587", DELIVERY: "outbox" });
    expect(found.map((p) => p.split(":")[0])).toEqual(["DELIVERY"]);
  });

  it("the production outbox override takes only its exact words", () => {
    const base = { PORTAL_MODE: "production", APP_SECRET: "x".repeat(40), PUBLIC_URL: "https://login.example.com", DELIVERY: "outbox" };
    for (const value of ["yes", "1", "true"]) {
      expect(problems({ ...base, UNSAFE_OUTBOX_IN_PRODUCTION: value }).map((p) => p.split(":")[0])).toEqual(["UNSAFE_OUTBOX_IN_PRODUCTION", "DELIVERY"]);
    }
    expect(parseConfig({ ...base, UNSAFE_OUTBOX_IN_PRODUCTION: "yes-codes-are-discarded" })).toMatchObject({ demo: false, DELIVERY: "outbox" });
  });

  it("demo mode takes the outbox without any override", () => {
    expect(parseConfig({ PORTAL_MODE: "demo", APP_SECRET: "x".repeat(40), DELIVERY: "outbox" })).toMatchObject({ demo: true, DELIVERY: "outbox" });
  });

  it("IPv6 clients are counted by /64 unless IPV6_PREFIX_BITS says otherwise", () => {
    const base = { PORTAL_MODE: "demo", APP_SECRET: "x".repeat(40) };
    expect(parseConfig(base).IPV6_PREFIX_BITS).toBe(64);
    expect(parseConfig({ ...base, IPV6_PREFIX_BITS: "56" }).IPV6_PREFIX_BITS).toBe(56);
    expect(problems({ ...base, IPV6_PREFIX_BITS: "8" })).toEqual([expect.stringMatching(/^IPV6_PREFIX_BITS:/)]);
    expect(problems({ ...base, IPV6_PREFIX_BITS: "129" })).toEqual([expect.stringMatching(/^IPV6_PREFIX_BITS:/)]);
  });
});
