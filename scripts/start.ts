// `npm start`: check the configuration, migrate the database, build when the
// sources are newer than the build, then run server.mts.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "@/lib/config";
import { migrate } from "@/lib/db/migrate";
import { newestSource } from "@/lib/runtime/newest-source";
import { prepareEnv } from "@/lib/runtime/prepare-env";
import { serverEnv, serverNodeFlags } from "@/lib/config/server-flags";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function say(message: string) {
  process.stdout.write(`${message}\n`);
}

function needsBuild(): boolean {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const sources = ["app", "components", "lib", "pages", "proxy.ts", "instrumentation.ts", "next.config.ts", "package-lock.json", "prisma/models.prisma"];
  return newestSource(root, sources) > statSync(buildId).mtimeMs;
}

async function main() {
  let prepared;
  try {
    prepared = prepareEnv(root, { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { env, config, createdSecrets } = prepared;
  if (config.demo) {
    say("");
    say("  ┌──────────────────────────────────────────────────────────────────┐");
    say("  │ DEMO MODE — not for real accounts.                               │");
    say(`  │ Secrets ${createdSecrets ? "generated in" : "read from  "} data/secrets.json; database ${config.postgres ? "PostgreSQL" : "data/ (SQLite)"}.`.padEnd(69) + "│");
    say(`  │ ${config.DELIVERY === "outbox" ? "Codes are NOT sent: read them at /dev/outbox or in this console." : "Codes are delivered by the configured providers."}`.padEnd(69) + "│");
    say("  │ For production set NODE_ENV=production and the variables in README.│");
    say("  └──────────────────────────────────────────────────────────────────┘");
    say("");
  }
  const result = await migrate(config.DATABASE_URL);
  say(`database: ${result.applied.length ? `applied ${result.applied.join(", ")}` : `up to date (${result.total} migrations)`}`);

  if (needsBuild()) {
    say("building the portal (first start, or sources changed)…");
    const build = spawnSync("npx", ["next", "build"], { cwd: root, stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  const server = spawn(process.execPath, [...serverNodeFlags(config.MAX_HEAP_MB), "--import", "tsx", join(root, "server.mts")], {
    cwd: root,
    stdio: "inherit",
    env: { ...env, ...serverEnv(env), NODE_ENV: "production" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

void main();
