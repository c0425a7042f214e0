import { join } from "node:path";
import { parseConfig, type Config } from "@/lib/config";
import { loadOrCreateDemoSecrets } from "./demo-secrets";

/**
 * Decides the mode and fills in demo defaults. Demo mode is what `npm start`
 * gives a fresh clone; NODE_ENV=production (or PORTAL_MODE=production) never
 * generates a secret or turns the outbox on by itself.
 */
export function prepareEnv(root: string, env: Record<string, string | undefined>): { env: Record<string, string | undefined>; config: Config; createdSecrets: boolean } {
  const next = { ...env };
  next.PORTAL_MODE ??= env.NODE_ENV === "production" ? "production" : "demo";
  let createdSecrets = false;
  if (next.PORTAL_MODE === "demo") {
    next.DATABASE_URL ??= "file:./data/portal.db";
    if (!next.SMTP_URL && !next.SMS_PROVIDER) next.DELIVERY ??= "outbox";
    if (!next.APP_SECRET) {
      const secrets = loadOrCreateDemoSecrets(join(root, "data", "secrets.json"));
      next.APP_SECRET = secrets.APP_SECRET;
      createdSecrets = secrets.created;
    }
  }
  return { env: next, config: parseConfig(next), createdSecrets };
}
