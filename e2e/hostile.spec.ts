import type { Socket } from "node:net";
import { expect, test } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startPortal, type Portal } from "./support/portal";
import { chunkedUpload, connectionPerWorker, openSocket, rawRequest, rssMb, workerOf } from "./support/raw-http";

// SPEC §12 from outside: a real portal as npm start serves it in production (supervised workers), attacked from
// 127.0.0.2 while a person at 127.0.0.1 keeps being served. Every loop is bounded in count and time.
const ATTACKER = "127.0.0.2";
const MEMORY_BUDGET_MB = 400;

let portal: Portal;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  portal = await startPortal({
    WEB_CONCURRENCY: "2",
    LOG_LEVEL: "warn",
    HEADERS_TIMEOUT_SECONDS: "2",
    REQUEST_TIMEOUT_SECONDS: "5",
    MAX_CONNECTIONS_PER_IP: "64",
    QR_HELD_POLLS_PER_IP: "10",
  });
});

test.afterAll(async () => {
  await portal.stop();
});

function workersUnderBudget() {
  const pids = portal.workerPids();
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) expect(rssMb(pid), `worker ${pid} RSS`).toBeLessThan(MEMORY_BUDGET_MB);
}

async function healthy(from = "127.0.0.1") {
  const reply = await rawRequest(`${portal.url}/healthz`, { from, timeoutMs: 5000 });
  expect(reply.status).toBe(200);
}

const families = ["/v1/oauth/sign", "/api/auth/callback/portal", "/api/oidc/token", "/login", "/oidc/interaction/x/decision"];

test("a 10 MB deeply nested JSON body is refused before it is read, on every route family", async () => {
  const nested = "[".repeat(5_000_000) + "]".repeat(5_000_000);
  for (const path of families) {
    const reply = await rawRequest(`${portal.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": nested.length },
      body: nested,
      expectContinue: true,
    });
    expect(reply.status, path).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ error: "payload_too_large" });
  }
  await healthy();
  workersUnderBudget();
});

test("JSON nested deeper than the portal reads is refused with 400, even inside the size cap", async () => {
  const nested = "[".repeat(7_000) + "]".repeat(7_000);
  for (const path of ["/v1/oauth/sign", "/v1/oauth/verify", "/api/auth/callback/portal"]) {
    const reply = await rawRequest(`${portal.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: nested });
    expect(reply.status, path).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: "invalid_request" });
  }
  await healthy();
});

test("chunked uploads without a length are cut off at the cap, and memory stays under budget", async () => {
  for (const path of families) {
    const upload = await chunkedUpload(`${portal.url}${path}`, "a=1&", 32 * 1024 * 1024, "application/x-www-form-urlencoded");
    // 413, or the connection reset by the server's side before its answer was read: either way refused.
    expect([413, 0], path).toContain(upload.status);
    // Refused long before the 32 MB were sent (the socket buffers a few MB at most).
    expect(upload.sent, path).toBeLessThan(16 * 1024 * 1024);
  }
  await healthy();
  workersUnderBudget();
});

test("two 200 MB form posts to the sign-in callback are refused at once and leave memory under budget", async () => {
  const declared = { "content-type": "application/x-www-form-urlencoded", "content-length": 200 * 1024 * 1024 };
  const replies = await Promise.all(
    [1, 2].map(() =>
      rawRequest(`${portal.url}/api/auth/callback/portal`, { method: "POST", headers: declared, body: Buffer.alloc(1024 * 1024, "a"), expectContinue: true }),
    ),
  );
  for (const reply of replies) expect(reply.status).toBe(413);
  await healthy();
  workersUnderBudget();
});

test("a method an API path does not take is answered 405 in the API's error envelope, naming the methods it does", async () => {
  for (const [method, path, allow] of [
    ["GET", "/v1/oauth/sign", "POST"],
    ["PUT", "/v1/oauth/verify", "POST"],
    ["DELETE", "/v1/oauth/qr", "GET, POST"],
    ["POST", "/v1/oauth/userinfo", "GET"],
  ]) {
    const reply = await fetch(`${portal.url}${path}`, { method });
    expect(reply.status, `${method} ${path}`).toBe(405);
    expect(reply.headers.get("allow"), `${method} ${path}`).toBe(allow);
    expect(await reply.json()).toEqual({ error: "method_not_allowed", error_description: expect.any(String) });
  }
});

test("invalid JSON and odd methods outside /v1 get a 4xx, never a 500", async () => {
  const attempts: [string, Parameters<typeof rawRequest>[1]][] = [
    ["/api/auth/callback/portal", { method: "GET" }],
    ["/api/auth/callback/portal", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }],
    ["/api/auth/signin/portal", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":' }],
    ["/api/auth/session", { method: "POST", headers: { "content-type": "application/json" }, body: "[]]" }],
    ["/api/auth/nope", { method: "GET" }],
    ["/v1/oauth/sign", { method: "POST", headers: { "content-type": "text/plain" }, body: "\u0000\u0001" }],
    ["/account", { method: "POST", headers: { origin: "https://evil.example", "next-action": "0123456789abcdef", "content-type": "text/plain" }, body: "[]" }],
    ["/login", { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }, body: "a=1" }],
  ];
  for (const [path, init] of attempts) {
    const reply = await rawRequest(`${portal.url}${path}`, init);
    expect(reply.status, `${init?.method} ${path}`).toBeGreaterThanOrEqual(400);
    expect(reply.status, `${init?.method} ${path}`).toBeLessThan(500);
  }
  // A server action or form posted from another site is refused, whether the browser says so by Origin or by Sec-Fetch-Site.
  const foreign = await rawRequest(`${portal.url}/account`, attempts[6][1]);
  expect(foreign.status).toBe(403);
  const crossSite = await rawRequest(`${portal.url}/oidc/interaction/x/decision`, {
    method: "POST",
    headers: { origin: "null", "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" },
    body: "decision=allow",
  });
  expect(crossSite.status).toBe(403);
});

test("slow headers from one address are cut off while another address's /healthz keeps answering", async () => {
  const sockets: Socket[] = [];
  const closedAt: number[] = [];
  const opened = Date.now();
  for (let i = 0; i < 40; i++) {
    const socket = await openSocket(portal.port, ATTACKER);
    socket.on("error", () => undefined);
    socket.resume();
    socket.once("close", () => closedAt.push(Date.now() - opened));
    socket.write("GET /healthz HTTP/1.1\r\nhost: x\r\n");
    sockets.push(socket);
  }
  // One more header line a second, never the blank line that ends them.
  const drip = setInterval(() => {
    for (const socket of sockets) if (!socket.destroyed) socket.write(`x-slow-${Math.random().toString(36).slice(2)}: 1\r\n`);
  }, 1000);
  try {
    for (let i = 0; i < 5; i++) {
      await healthy();
      await new Promise((r) => setTimeout(r, 500));
    }
    // HEADERS_TIMEOUT_SECONDS is 2; the server checks about once a second.
    await expect.poll(() => closedAt.length, { timeout: 10_000 }).toBe(sockets.length);
  } finally {
    clearInterval(drip);
    for (const socket of sockets) socket.destroy();
  }
});

test("one address opening many connections is refused past its cap while another address is served", async () => {
  const sockets: Socket[] = [];
  let refused = 0;
  try {
    for (let i = 0; i < 200; i++) {
      const socket = await openSocket(portal.port, ATTACKER).catch(() => null);
      if (!socket) {
        refused++;
        continue;
      }
      socket.on("error", () => undefined);
      socket.resume();
      socket.once("close", () => refused++);
      sockets.push(socket);
    }
    // 64 per address per worker, two workers: at most 128 stay open.
    await expect.poll(() => refused, { timeout: 5000 }).toBeGreaterThanOrEqual(200 - 128);
    await healthy();
  } finally {
    for (const socket of sockets) socket.destroy();
  }
});

test("long polls flooded from one address leave another screen's long poll held", async () => {
  type Started = { qr_token: string; poll_token: string };
  const attackerQr = JSON.parse((await rawRequest(`${portal.url}/v1/oauth/qr`, { from: ATTACKER })).body) as Started;
  const poll = (qr: Started, from: string) =>
    rawRequest(`${portal.url}/v1/oauth/qr`, {
      method: "POST",
      from,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ qr_token: qr.qr_token, poll_token: qr.poll_token, wait: 6 }),
      timeoutMs: 15_000,
    });
  // Thirty long polls of one QR login from one address: a couple are held, the rest are turned away at once.
  const flood = Array.from({ length: 30 }, () => poll(attackerQr, ATTACKER));
  const turnedAway = await Promise.race([
    Promise.all(flood.slice(0, 20)).then(() => "all answered"),
    new Promise<string>((r) => setTimeout(() => r("held"), 3000)),
  ]);
  expect(turnedAway).toBe("held");
  const victimQr = JSON.parse((await rawRequest(`${portal.url}/v1/oauth/qr`)).body) as Started;
  const victimStarted = Date.now();
  const victim = await poll(victimQr, "127.0.0.1");
  // Held until its wait ran out, then told it is still pending: not refused.
  expect(victim.status).toBe(200);
  expect(JSON.parse(victim.body)).toMatchObject({ status: "pending" });
  expect(Date.now() - victimStarted).toBeGreaterThan(4000);
  const answers = await Promise.all(flood);
  const held = answers.filter((a) => a.status === 200).length;
  expect(held).toBeLessThanOrEqual(4);
  expect(answers.filter((a) => a.status === 429 || a.status === 503).length).toBeGreaterThan(20);
});

test("a stranger who knows only a wallet address can neither cancel nor lock its owner's sign-in", async () => {
  const owner = privateKeyToAccount(generatePrivateKey());
  const post = (path: string, body: unknown, from?: string) =>
    rawRequest(`${portal.url}${path}`, { method: "POST", from, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const asked = JSON.parse((await post("/v1/oauth/sign", { id: owner.address })).body) as { challenge_id: string; message: string };
  const signature = await owner.signMessage({ message: asked.message });
  // While the owner's wallet is open, a stranger asks for new messages and sends garbage signatures, with and without ids.
  for (let i = 0; i < 8; i++) await post("/v1/oauth/sign", { id: owner.address }, ATTACKER);
  for (let i = 0; i < 25; i++) {
    const garbage = await privateKeyToAccount(generatePrivateKey()).signMessage({ message: asked.message });
    await post("/v1/oauth/verify", { id: owner.address, code: garbage, ...(i % 2 ? { challenge_id: `ch_${i}` } : {}) }, ATTACKER);
  }
  const signedIn = await post("/v1/oauth/verify", { id: owner.address, code: signature, challenge_id: asked.challenge_id });
  expect(signedIn.status, signedIn.body).toBe(200);
  expect(JSON.parse(signedIn.body)).toMatchObject({ token_type: "Bearer" });
});

test("a worker killed with SIGKILL is replaced while the other worker's requests all succeed", async () => {
  const byWorker = await connectionPerWorker(portal.url, 2);
  expect(byWorker.size).toBe(2);
  const [victimWorker, survivorWorker] = [...byWorker.keys()];
  const survivor = byWorker.get(survivorWorker)!;
  const pidsBefore = portal.workerPids();
  const victimPid = pidOfWorker(victimWorker);
  expect(pidsBefore).toContain(victimPid);

  let failures = 0;
  let served = 0;
  const until = Date.now() + 3000;
  const load = (async () => {
    while (Date.now() < until) {
      try {
        expect(await workerOf(portal.url, survivor)).toBe(survivorWorker);
        served++;
      } catch {
        failures++;
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 500));
  process.kill(victimPid, "SIGKILL");
  await load;
  expect(failures).toBe(0);
  expect(served).toBeGreaterThan(10);
  // A replacement is forked within a second.
  await expect.poll(() => portal.workerPids().filter((pid) => !pidsBefore.includes(pid)).length, { timeout: 1500, intervals: [100] }).toBe(1);
  await expect.poll(() => portal.logs(), { timeout: 30_000 }).toMatch(/"msg":"worker died; starting another".*"signal":"SIGKILL"/);
  for (const agent of byWorker.values()) agent.destroy();
  workersUnderBudget();
});

function pidOfWorker(worker: string): number {
  const line = portal
    .logs()
    .split("\n")
    .find((l) => l.includes('"msg":"worker started"') && l.includes(`"worker":${worker},`));
  return Number(/"pid":(\d+)/.exec(line ?? "")?.[1]);
}
