import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { migrate } from "../../lib/db/migrate";
import { serverEnv, serverNodeFlags } from "../../lib/config/server-flags";

export type Portal = {
  url: string;
  port: number;
  databaseUrl: string;
  logFile: string;
  /** the supervisor (server.mts's primary process) */
  process: ChildProcess;
  /** the pids of its HTTP workers, from /proc (they do the work: measure CPU and memory there) */
  workerPids: () => number[];
  stop: () => Promise<void>;
  logs: () => string;
};

const root = resolve(__dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts a real portal process (server.mts over the production build) on a
 * free port, with its own fresh SQLite database unless DATABASE_URL is given,
 * and waits until /readyz answers.
 */
export async function startPortal(env: Record<string, string> = {}): Promise<Portal> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "werify-e2e-"));
  const databaseUrl = env.DATABASE_URL ?? `file:${join(dir, "portal.db")}`;
  await migrate(databaseUrl);
  const url = `http://localhost:${port}`;
  const logFile = join(dir, "server.log");
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "server.mts")], {
    cwd: root,
    env: {
      ...process.env,
      ...serverEnv(process.env),
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORTAL_MODE: "demo",
      DELIVERY: "outbox",
      APP_SECRET: "e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
      PUBLIC_URL: url,
      NEXTAUTH_URL: url,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      // One supervised worker unless a spec asks for more (npm start runs one per core in production).
      WEB_CONCURRENCY: "1",
      // Every e2e client is 127.0.0.1, standing for many people at once; e2e/hostile.spec.ts sets the real cap.
      MAX_CONNECTIONS_PER_IP: "4096",
      ...env,
      // The flags npm start runs server.mts with; NODE_OPTIONS given by the caller come after them and win.
      NODE_OPTIONS: [...serverNodeFlags(Number(env.MAX_HEAP_MB ?? process.env.MAX_HEAP_MB) || undefined), process.env.NODE_OPTIONS, env.NODE_OPTIONS].filter(Boolean).join(" "),
      DATABASE_URL: databaseUrl,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`portal exited with ${child.exitCode}:\n${readFileSync(logFile, "utf8")}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`portal did not become ready:\n${readFileSync(logFile, "utf8")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    databaseUrl,
    logFile,
    process: child,
    logs: () => readFileSync(logFile, "utf8"),
    workerPids: () => readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
