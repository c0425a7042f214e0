import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../lib/db/migrate";

export type Floor = { url: string; pid: number; databaseUrl: string; stop: () => Promise<void> };

/** A fresh, migrated SQLite file for a floor server (or a portal). */
export async function freshSqlite(label: string): Promise<string> {
  const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), `werify-bench-${label}-`)), "bench.db")}`;
  await migrate(databaseUrl);
  return databaseUrl;
}

/**
 * Starts bench/floor-<name>.ts (the portal's lib/db statements on a bare
 * node:http server) on a fresh database of the portal's kind and waits until it listens.
 */
export async function startFloor(name: "qr-poll" | "sign-verify", databaseUrl: string, env: Record<string, string>): Promise<Floor> {
  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, `floor-${name}.ts`)], {
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, FLOOR_PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`floor-${name} exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    databaseUrl,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
