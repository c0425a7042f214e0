import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { freePort, startPortal, type Portal } from "./support/portal";

// SMS goes to a local webhook standing in for the provider, in production
// mode: the demo outbox (which prints codes to the console by design) is not
// involved, so every line the portal writes is fair game.
// a GB mobile (+447911 12… is Guernsey, outside the default SMS_ALLOWED_COUNTRIES)
const PHONE = "+447400123456";
// the stand-in provider refuses this one
const REFUSED_PHONE = "+447400123457";
const APP_SECRET = `logs-${randomBytes(32).toString("base64url")}`;

type Sms = { to: string; channel: string; body: string };

let portal: Portal;
let smsServer: Server;
const texts: Sms[] = [];

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  const port = await freePort();
  smsServer = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const sms = JSON.parse(raw) as Sms;
      if (sms.to === REFUSED_PHONE) return void res.writeHead(500, { "content-type": "application/json" }).end('{"message":"number barred"}');
      texts.push(sms);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((done) => smsServer.listen(port, "127.0.0.1", done));
  portal = await startPortal({
    PORTAL_MODE: "production",
    LOG_LEVEL: "debug",
    DELIVERY: "providers",
    SMS_PROVIDER: "webhook",
    SMS_WEBHOOK_URL: `http://127.0.0.1:${port}/sms`,
    APP_SECRET,
  });
});

test.afterAll(async () => {
  await portal?.stop();
  await new Promise((done) => smsServer?.close(done));
});

type Sent = { requestId: string; method: string; path: string; status: number };

test("a whole sign-in by SMS, refresh, userinfo, QR approval and sign-out leave no code, token or secret in the log", async () => {
  const sent: Sent[] = [];
  async function api<T>(method: string, path: string, init: { body?: unknown; token?: string } = {}): Promise<{ status: number; body: T }> {
    const requestId = `logs-${randomUUID()}`;
    const headers: Record<string, string> = { "x-request-id": requestId };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const response = await fetch(`${portal.url}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    sent.push({ requestId, method, path: path.split("?")[0], status: response.status });
    return { status: response.status, body: (await response.json()) as T };
  }
  type Tokens = { access_token: string; refresh_token: string };

  const started = await api<{ channel: string }>("POST", "/v1/oauth/sign", { body: { id: PHONE } });
  expect(started).toMatchObject({ status: 200, body: { channel: "sms" } });
  expect(texts).toHaveLength(1);
  expect(texts[0].to).toBe(PHONE);
  const code = /#(\d{6})$/.exec(texts[0].body)?.[1] ?? "";
  expect(code).toMatch(/^\d{6}$/);

  const wrongCode = code === "000000" ? "111111" : "000000";
  expect((await api("POST", "/v1/oauth/verify", { body: { id: PHONE, code: wrongCode } })).status).toBe(400);
  const signedIn = await api<Tokens>("POST", "/v1/oauth/verify", { body: { id: PHONE, code } });
  expect(signedIn.status).toBe(200);
  const refreshed = await api<Tokens>("POST", "/v1/oauth/token", { body: { grant_type: "refresh_token", refresh_token: signedIn.body.refresh_token } });
  expect(refreshed.status).toBe(200);
  expect((await api("GET", "/v1/oauth/userinfo", { token: refreshed.body.access_token })).status).toBe(200);

  const qr = await api<{ qr_token: string; poll_token: string }>("GET", "/v1/oauth/qr");
  expect(qr.status).toBe(200);
  expect((await api("GET", `/v1/oauth/qr/authorize?qr_token=${qr.body.qr_token}`, { token: refreshed.body.access_token })).status).toBe(200);
  expect((await api("POST", "/v1/oauth/qr/authorize", { body: { qr_token: qr.body.qr_token }, token: refreshed.body.access_token })).status).toBe(200);
  const viaQr = await api<Tokens>("POST", "/v1/oauth/qr", { body: { qr_token: qr.body.qr_token, poll_token: qr.body.poll_token } });
  expect(viaQr.status).toBe(200);

  expect((await api("POST", "/v1/oauth/revoke", { body: { token: refreshed.body.refresh_token } })).status).toBe(200);
  expect((await api("GET", "/v1/oauth/userinfo", { token: refreshed.body.access_token })).status).toBe(401);
  // the reused refresh token ends the session: that audit path logs too
  expect((await api("POST", "/v1/oauth/token", { body: { grant_type: "refresh_token", refresh_token: signedIn.body.refresh_token } })).status).toBe(400);

  // Each request has one JSON line with what an operator needs, written once the response is finished.
  const lines = () =>
    portal
      .logs()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  await expect.poll(() => sent.filter((s) => lines().some((l) => l.request_id === s.requestId)).length).toBe(sent.length);
  const all = lines();
  for (const request of sent) {
    const mine = all.filter((l) => l.request_id === request.requestId && l.msg === "request");
    expect(mine, `${request.method} ${request.path}`).toHaveLength(1);
    expect(mine[0]).toMatchObject({ method: request.method, status: request.status, request_id: request.requestId });
    expect(typeof mine[0].ms).toBe("number");
    expect(mine[0].path).toBe(request.path.replace(/wrf[A-Za-z0-9_-]{8,}/, "wrf…"));
  }

  const log = portal.logs();
  const secrets: Record<string, string> = {
    "the first access token": signedIn.body.access_token,
    "the first refresh token": signedIn.body.refresh_token,
    "the refreshed access token": refreshed.body.access_token,
    "the refreshed refresh token": refreshed.body.refresh_token,
    "the QR access token": viaQr.body.access_token,
    "the QR refresh token": viaQr.body.refresh_token,
    "the QR token": qr.body.qr_token,
    "the poll token": qr.body.poll_token,
    APP_SECRET,
  };
  for (const [name, secret] of Object.entries(secrets)) {
    expect(secret.length, name).toBeGreaterThan(12);
    for (let i = 0; i + 13 <= secret.length; i++) {
      const piece = secret.slice(i, i + 13);
      expect(log.includes(piece), `${name}: "${piece}" is in the log`).toBe(false);
    }
  }
  // Six digits can occur by chance inside a duration such as 12.123456; a code is never part of a longer number.
  for (const digits of [code, wrongCode]) expect(log).not.toMatch(new RegExp(`(?<![\\d.])${digits}(?!\\d)`));
});

test("why a request failed is logged under that request's id, and the caller sees only the error code", async () => {
  const logLines = () =>
    portal
      .logs()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  // POST /v1/oauth/sign is one of the routes server.mts serves itself
  const signId = `logs-${randomUUID()}`;
  const sign = await fetch(`${portal.url}/v1/oauth/sign`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": signId },
    body: JSON.stringify({ id: REFUSED_PHONE }),
  });
  expect(sign.status).toBe(503);
  const signBody = (await sign.json()) as Record<string, unknown>;
  expect(signBody).toEqual({ error: "delivery_failed", error_description: expect.any(String) });
  expect(JSON.stringify(signBody)).not.toContain("500");

  // GET /v1/oauth/userinfo goes through Next's own pipeline
  const userinfoId = `logs-${randomUUID()}`;
  const userinfo = await fetch(`${portal.url}/v1/oauth/userinfo`, { headers: { authorization: "Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln", "x-request-id": userinfoId } });
  expect(userinfo.status).toBe(401);
  expect(await userinfo.json()).toEqual({ error: "invalid_token", error_description: "The access token is invalid or expired." });

  await expect.poll(() => logLines().filter((l) => l.msg === "request" && (l.request_id === signId || l.request_id === userinfoId)).length).toBe(2);
  const lines = logLines();
  expect(lines.filter((l) => l.msg === "request failed")).toEqual([
    expect.objectContaining({ level: "error", request_id: signId, error: "delivery_failed", cause: "DeliveryError: webhook: HTTP 500" }),
  ]);
  expect(lines.filter((l) => l.msg === "request refused")).toEqual([
    expect.objectContaining({ level: "info", request_id: userinfoId, error: "invalid_token", cause: "no signing key has this kid" }),
  ]);
});
