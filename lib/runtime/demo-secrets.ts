import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Demo mode only: the secrets a fresh clone needs, generated once and kept in
 * data/secrets.json (git-ignored, mode 0600) so sessions survive a restart.
 */
export function loadOrCreateDemoSecrets(path: string): { APP_SECRET: string; created: boolean } {
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, "utf8")) as { APP_SECRET?: string };
    if (stored.APP_SECRET && stored.APP_SECRET.length >= 32) return { APP_SECRET: stored.APP_SECRET, created: false };
  }
  mkdirSync(dirname(path), { recursive: true });
  const APP_SECRET = randomBytes(48).toString("base64url");
  writeFileSync(path, JSON.stringify({ APP_SECRET }, null, 2) + "\n", { mode: 0o600 });
  return { APP_SECRET, created: true };
}
