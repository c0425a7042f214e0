import { isIP } from "node:net";
import { z } from "zod";
import { DEFAULT_MAX_HEAP_MB } from "./server-flags";

const seconds = (fallback: number, max?: number) => {
  const base = z.coerce.number().int().positive();
  return (max ? base.max(max) : base).default(fallback);
};
const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    );

/** An IP address, or a CIDR range whose prefix length fits its family. */
function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Every environment variable the portal reads, with its default and the hint
 * shown when it is missing or malformed. README's table is written from this.
 */
export const envObject = z.object({
    PORTAL_MODE: z.enum(["demo", "production"]).default("production"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    PUBLIC_URL: z.url({ message: "set PUBLIC_URL to the portal's public origin, e.g. https://login.example.com" }).default("http://localhost:3000"),
    APP_NAME: z.string().min(1).max(60).default("Werify"),
    APP_SECRET: z
      .string({ message: "set APP_SECRET to at least 32 random characters (e.g. `openssl rand -base64 48`)" })
      .min(32, "APP_SECRET must be at least 32 characters"),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, "DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL)")
      .default("file:./data/portal.db"),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(8),
    TRUSTED_PROXIES: list("").refine((entries) => entries.every(isAddressOrRange), {
      message: "TRUSTED_PROXIES must be IP addresses or CIDR ranges separated by commas, e.g. 10.0.0.0/8,192.0.2.7",
    }),
    // One subscriber is usually given a whole /64; per-IP limits count IPv6 clients by this prefix.
    IPV6_PREFIX_BITS: z.coerce.number().int().min(32).max(128).default(64),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),

    DELIVERY: z.enum(["outbox", "providers"]).default("providers"),
    UNSAFE_OUTBOX_IN_PRODUCTION: z.literal("yes-codes-are-discarded", { message: "the only accepted value is yes-codes-are-discarded" }).optional(),
    SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL must look like smtp://user:pass@host:587").optional(),
    EMAIL_FROM: z.string().min(3).default("Werify <no-reply@localhost>"),
    SMS_PROVIDER: z.enum(["twilio", "webhook"]).optional(),
    TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    TWILIO_FROM: z.string().min(1).optional(),
    TWILIO_API_BASE: z.url().default("https://api.twilio.com"),
    SMS_WEBHOOK_URL: z.url().optional(),
    SMS_ALLOWED_COUNTRIES: list("GB,US,CA,DE,FR,NL"),
    SMS_MAX_PER_HOUR: z.coerce.number().int().min(0).default(500),
    DEFAULT_PHONE_REGION: z.string().length(2).toUpperCase().default("GB"),

    CODE_TTL_SECONDS: seconds(300, 600),
    CODE_MAX_ATTEMPTS: seconds(5, 10),
    RESEND_COOLDOWN_SECONDS: seconds(30),
    SENDS_PER_IDENTITY_PER_HOUR: seconds(5),
    FAILED_VERIFICATIONS_PER_HOUR: seconds(20, 100),
    SIGN_PER_IP_PER_10_MIN: seconds(30),
    VERIFY_PER_IP_PER_10_MIN: seconds(60),
    QR_PER_IP_PER_10_MIN: seconds(60),
    ACCESS_TOKEN_TTL_SECONDS: seconds(900, 3600),
    REFRESH_TOKEN_TTL_DAYS: seconds(30, 365),
    QR_TTL_SECONDS: seconds(120, 600),
    QR_DECIDE_SECONDS: seconds(120, 600),
    QR_MAX_HELD_POLLS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    QR_HELD_POLLS_PER_LOGIN: z.coerce.number().int().min(1).max(10).default(2),
    QR_HELD_POLLS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(100),
    QR_POLL_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(300),
    MAX_HEAP_MB: z.coerce.number().int().min(128).max(65_536).default(DEFAULT_MAX_HEAP_MB),

    // The edge (server.mts, lib/http/edge.mjs): workers, connections and timeouts.
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    MAX_CONNECTIONS: z.coerce.number().int().min(16).max(18_000).default(15_000),
    MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(8).max(18_000).default(256),
    HEADERS_TIMEOUT_SECONDS: seconds(10, 60),
    REQUEST_TIMEOUT_SECONDS: seconds(30, 300),
    KEEP_ALIVE_TIMEOUT_SECONDS: seconds(65, 600),
  });

/**
 * Rules between variables, checked on the raw environment so they are reported
 * together with any malformed variable, not only after it is fixed.
 */
export function crossFieldProblems(source: Record<string, string | undefined>): { name: string; message: string }[] {
  const problems: { name: string; message: string }[] = [];
  const production = (source.PORTAL_MODE ?? "production") === "production";
  if (production && !source.PUBLIC_URL) {
    problems.push({ name: "PUBLIC_URL", message: "is not set — set it to the portal's public origin, e.g. https://login.example.com" });
  }
  if (production && source.DELIVERY !== "outbox" && !source.SMTP_URL && !source.SMS_PROVIDER) {
    problems.push({
      name: "SMTP_URL",
      message: "no delivery configured — set SMTP_URL (email) and/or SMS_PROVIDER (sms/voice), or PORTAL_MODE=demo to try the portal without sending codes",
    });
  }
  // The outbox is demo delivery: in production nobody would receive a code. Outside demo mode it keeps no code either.
  if (production && source.DELIVERY === "outbox" && source.UNSAFE_OUTBOX_IN_PRODUCTION !== "yes-codes-are-discarded") {
    problems.push({
      name: "DELIVERY",
      message:
        "outbox is for demo mode — in production no code would reach anyone. Set SMTP_URL and/or SMS_PROVIDER instead, or PORTAL_MODE=demo; to run production anyway, with every code discarded (wallet sign-in still works), set UNSAFE_OUTBOX_IN_PRODUCTION=yes-codes-are-discarded",
    });
  }
  if (Number(source.HEADERS_TIMEOUT_SECONDS ?? 10) > Number(source.REQUEST_TIMEOUT_SECONDS ?? 30)) {
    problems.push({ name: "HEADERS_TIMEOUT_SECONDS", message: "must not be longer than REQUEST_TIMEOUT_SECONDS (headers are part of the request)" });
  }
  if (source.SMS_PROVIDER === "twilio") {
    for (const key of ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"]) {
      if (!source[key]) problems.push({ name: key, message: `is not set — SMS_PROVIDER=twilio needs ${key}` });
    }
  }
  if (source.SMS_PROVIDER === "webhook" && !source.SMS_WEBHOOK_URL) {
    problems.push({ name: "SMS_WEBHOOK_URL", message: "is not set — SMS_PROVIDER=webhook needs SMS_WEBHOOK_URL" });
  }
  return problems;
}

export type Env = z.infer<typeof envObject>;
