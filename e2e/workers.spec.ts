import { expect, test } from "@playwright/test";
import { latestCode } from "./support/outbox";
import { startPortal, type Portal } from "./support/portal";
import { connectionPerWorker, jsonOn } from "./support/raw-http";
import { uniqueEmail } from "./support/sign-in";

// npm start in production: two supervised workers writing one SQLite file. What one process guaranteed, two must too.
let portal: Portal;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  portal = await startPortal({ WEB_CONCURRENCY: "2", LOG_LEVEL: "warn", SIGN_PER_IP_PER_10_MIN: "1000", VERIFY_PER_IP_PER_10_MIN: "1000" });
});

test.afterAll(async () => {
  await portal.stop();
});

async function signIn(agent: import("node:http").Agent, email: string) {
  const asked = Date.now() - 1000;
  const sign = await jsonOn(agent, `${portal.url}/v1/oauth/sign`, "POST", { id: email });
  expect(sign.status, JSON.stringify(sign.body)).toBe(200);
  const code = await latestCode(portal.databaseUrl, email, asked);
  return jsonOn(agent, `${portal.url}/v1/oauth/verify`, "POST", { id: email, code });
}

test("sign-ins on both workers at once, writing one SQLite file, all succeed", async () => {
  const workers = await connectionPerWorker(portal.url, 2);
  expect(workers.size).toBe(2);
  const { Agent } = await import("node:http");
  // Twelve connections per worker, each signing in new people one after another: writers in two processes at once.
  const lanes = [...workers.values()].flatMap((pinned) => [pinned, ...Array.from({ length: 11 }, () => new Agent({ keepAlive: true, maxSockets: 1 }))]);
  const results = await Promise.all(lanes.map(async (agent) => [await signIn(agent, uniqueEmail("w")), await signIn(agent, uniqueEmail("w"))]));
  const failed = results.flat().filter((r) => r.status !== 200);
  expect(failed.map((r) => r.body)).toEqual([]);
  for (const agent of lanes) agent.destroy();
});

test("an approval served by one worker answers the long poll another worker holds", async () => {
  const workers = await connectionPerWorker(portal.url, 2);
  const [screen, phone] = [...workers.values()];
  const signedIn = await signIn(phone, uniqueEmail("phone"));
  const auth = { authorization: `Bearer ${signedIn.body.access_token as string}` };
  const started = await jsonOn(screen, `${portal.url}/v1/oauth/qr`, "GET");
  const { qr_token, poll_token } = started.body as { qr_token: string; poll_token: string };

  const poll = jsonOn(screen, `${portal.url}/v1/oauth/qr`, "POST", { qr_token, poll_token, wait: 20 }).then((answer) => ({ ...answer, at: Date.now() }));
  await new Promise((r) => setTimeout(r, 300));
  const approve = await jsonOn(phone, `${portal.url}/v1/oauth/qr/authorize`, "POST", { qr_token }, auth);
  const approvedAt = Date.now();
  expect(approve.body).toEqual({ status: "approved" });
  const answer = await poll;
  expect(answer.body).toMatchObject({ status: "approved", token_type: "Bearer" });
  // Another process on the same SQLite file learns of it from its half-second check.
  expect(answer.at - approvedAt).toBeLessThan(1500);
  for (const agent of workers.values()) agent.destroy();
});

test("on SIGTERM every worker answers what it holds and the supervisor exits within 10 s", async () => {
  const workers = await connectionPerWorker(portal.url, 2);
  const held = [...workers.values()].map(async (agent) => {
    const started = await jsonOn(agent, `${portal.url}/v1/oauth/qr`, "GET");
    const { qr_token, poll_token } = started.body as { qr_token: string; poll_token: string };
    return jsonOn(agent, `${portal.url}/v1/oauth/qr`, "POST", { qr_token, poll_token, wait: 20 });
  });
  await new Promise((r) => setTimeout(r, 500));
  const exited = new Promise<number>((resolve) => portal.process.once("exit", () => resolve(Date.now())));
  const signalledAt = Date.now();
  portal.process.kill("SIGTERM");
  for (const answer of await Promise.all(held)) {
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ error: "temporarily_unavailable" });
  }
  expect((await exited) - signalledAt).toBeLessThan(10_000);
  expect(portal.logs().match(/"msg":"stopped"/g)).toHaveLength(2);
});
