import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { newestSource } from "../lib/runtime/newest-source";

export const ROOT = resolve(__dirname, "..");
/** The bench's own build folder, so it never disturbs `.next` of a running `npm start` or anyone's e2e build. */
export const DIST_DIR = ".next-bench";

const SOURCES = ["app", "components", "lib", "pages", "proxy.ts", "instrumentation.ts", "next.config.ts", "server.mts", "package-lock.json", "prisma/models.prisma"];

/** Builds the production app into DIST_DIR unless that build is newer than every source (or `force`). */
export function buildIfNeeded(force: boolean, say: (line: string) => void): { built: boolean; seconds: number } {
  const buildId = join(ROOT, DIST_DIR, "BUILD_ID");
  if (!force && existsSync(buildId) && statSync(buildId).mtimeMs > newestSource(ROOT, SOURCES)) return { built: false, seconds: 0 };
  say(`building the production app into ${DIST_DIR}/ …`);
  const started = performance.now();
  // next build adds the build folder's type paths to tsconfig.json; the bench's folder is not the project's, so put it back.
  const tsconfig = join(ROOT, "tsconfig.json");
  const before = readFileSync(tsconfig, "utf8");
  const result = spawnSync("npx", ["next", "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: DIST_DIR },
  });
  if (readFileSync(tsconfig, "utf8") !== before) writeFileSync(tsconfig, before);
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  return { built: true, seconds: (performance.now() - started) / 1000 };
}
