import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { freePort } from "../portal";

const root = resolve(__dirname, "../../..");

export type Client = { clientId: string; clientSecret?: string };
export type RelyingPartySite = { url: string; client: Client; stop: () => Promise<void> };

/** Registers a client with the portal's own CLI (`npm run client -- add …`), against the portal's database. */
export function registerWithCli(portal: { url: string; databaseUrl: string }, args: string[]): Client {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/client.ts", "add", ...args], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: portal.databaseUrl,
      PUBLIC_URL: portal.url,
      APP_SECRET: "e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
      PORTAL_MODE: "demo",
      DELIVERY: "outbox",
      LOG_LEVEL: "silent",
    },
  });
  if (result.status !== 0) throw new Error(`npm run client failed:\n${result.stdout}\n${result.stderr}`);
  const clientId = /client_id\s+(\S+)/.exec(result.stdout)?.[1];
  const secret = /client_secret\s+(\S+)/.exec(result.stdout)?.[1];
  if (!clientId) throw new Error(`no client id in:\n${result.stdout}`);
  return { clientId, clientSecret: secret && !secret.startsWith("(") ? secret : undefined };
}

/** Starts "Acme" (e2e/support/rp/server.mjs) on its own port, registered with the portal as a confidential client. */
export async function startRelyingParty(portal: { url: string; databaseUrl: string }, name = "Acme"): Promise<RelyingPartySite> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const client = registerWithCli(portal, ["--name", name, "--redirect-uri", `${url}/callback`, "--post-logout-redirect-uri", `${url}/signed-out`]);
  const child = spawn(process.execPath, [resolve(__dirname, "server.mjs")], {
    cwd: root,
    env: { ...process.env, ISSUER: portal.url, CLIENT_ID: client.clientId, CLIENT_SECRET: client.clientSecret ?? "", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`Acme did not start:\n${output}`)), 15_000);
    child.stdout?.on("data", () => {
      if (output.includes("acme listening")) {
        clearTimeout(timer);
        ready();
      }
    });
    child.once("exit", (code) => fail(new Error(`Acme exited with ${code}:\n${output}`)));
  });
  return {
    url,
    client,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
