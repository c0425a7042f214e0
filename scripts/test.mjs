// `npm test`: every check, in the order that fails fastest — types, lint,
// vitest (unit, SQLite, PostgreSQL when reachable), a production build, then
// Playwright in Chromium. Ends with one summary line of all test counts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
mkdirSync("test-results", { recursive: true });
const started = Date.now();

function step(name, command, args, extraEnv = {}) {
  const t0 = Date.now();
  process.stdout.write(`\n▶ ${name}\n`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`✗ ${name} failed after ${seconds}s\n`);
    summary();
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`✓ ${name} (${seconds}s)\n`);
}

function counts() {
  const total = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync("test-results/vitest.json")) {
    const v = JSON.parse(readFileSync("test-results/vitest.json", "utf8"));
    total.passed += v.numPassedTests ?? 0;
    total.failed += v.numFailedTests ?? 0;
    total.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  }
  if (existsSync("test-results/playwright.json")) {
    const p = JSON.parse(readFileSync("test-results/playwright.json", "utf8"));
    total.passed += p.stats?.expected ?? 0;
    total.failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
    total.skipped += p.stats?.skipped ?? 0;
  }
  return total;
}

function summary() {
  const c = counts();
  process.stdout.write(`\ntests: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped (${((Date.now() - started) / 1000).toFixed(0)}s)\n`);
}

for (const stale of ["test-results/vitest.json", "test-results/playwright.json"]) if (existsSync(stale)) spawnSync("rm", ["-f", stale]);

step("schemas match prisma/models.prisma", "node", ["scripts/db-schemas.mjs", "--check"]);
step("type-check", "npx", ["tsc", "--noEmit"]);
step("lint", "npx", ["eslint", ".", "--max-warnings=0"]);
step("vitest: unit, SQLite, PostgreSQL", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile=test-results/vitest.json"]);
step("production build", "npx", ["next", "build"]);
step("Playwright e2e in Chromium", "npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: "test-results/playwright.json" });
summary();
