import { afterAll, describe, expect, it } from "vitest";
import { GET as startQr, POST as pollQr } from "@/app/v1/oauth/qr/route";
import { GET as scanQr, POST as decideQr } from "@/app/v1/oauth/qr/authorize/route";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { GET as userinfo } from "@/app/v1/oauth/userinfo/route";
import { disconnectDb } from "@/lib/db/client";
import { kysely } from "@/lib/db/kysely";
import { stopWatching } from "@/lib/qr/changes";
import { decideQrLogin } from "@/lib/qr/decide-qr-login";
import { pollQrLogin } from "@/lib/qr/poll-qr-login";
import { scanQrLogin } from "@/lib/qr/scan-qr-login";
import { startQrLogin } from "@/lib/qr/start-qr-login";
import { hashToken } from "@/lib/tokens/hash";
import { call, randomIp, uniqueEmail } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

const DESKTOP_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

type Started = { qr_token: string; qr_url: string; poll_token: string; expires_in: number; interval: number };
type Tokens = { access_token: string; refresh_token: string; user: { id: string } };

async function signedInUser(): Promise<{ accessToken: string; userId: string }> {
  const email = uniqueEmail("phone");
  const ip = randomIp();
  await call(sign, { body: { id: email }, ip });
  const reply = await call<Tokens>(verify, { body: { id: email, code: await latestCode(email) }, ip });
  expect(reply.status).toBe(200);
  return { accessToken: reply.body.access_token, userId: reply.body.user.id };
}

async function newQr(ip = randomIp()) {
  const reply = await call<Started>(startQr, { ip, headers: { "user-agent": DESKTOP_UA } });
  expect(reply.status).toBe(200);
  return { ...reply.body, ip, cookie: reply.headers.get("set-cookie") ?? "" };
}

function poll(qr: Started & { ip: string }, extra: Record<string, unknown> = {}) {
  return call(pollQr, { body: { qr_token: qr.qr_token, poll_token: qr.poll_token, ...extra }, ip: qr.ip, headers: { "user-agent": DESKTOP_UA } });
}

function scan(qrToken: string, accessToken: string) {
  return call(scanQr, { path: `/v1/oauth/qr/authorize?qr_token=${encodeURIComponent(qrToken)}`, headers: { authorization: `Bearer ${accessToken}` } });
}

function decide(qrToken: string, accessToken: string, decision?: "approve" | "deny") {
  return call(decideQr, { body: { qr_token: qrToken, ...(decision ? { decision } : {}) }, headers: { authorization: `Bearer ${accessToken}` } });
}

/** The sessions a user opened by QR. */
function qrSessions(userId: string) {
  return kysely().selectFrom("sessions").selectAll().where("user_id", "=", userId).where("created_via", "=", "qr").execute();
}

describe.skipIf(noDatabase)("QR login through the API", () => {
  afterAll(async () => {
    await stopWatching();
    await disconnectDb();
  });

  it("a new QR code carries only its qr_token; the poll token is a separate secret, also set as a strict HttpOnly cookie", async () => {
    const qr = await newQr();
    expect(qr).toMatchObject({ expires_in: 120, interval: 2 });
    expect(qr.qr_token).toMatch(/^wrf[A-Za-z0-9_-]{22,}$/);
    expect(qr.poll_token.length).toBeGreaterThanOrEqual(22);
    expect(qr.qr_url).toBe(`http://localhost:3000/qr/${qr.qr_token}`);
    expect(qr.qr_url).not.toContain(qr.poll_token);
    expect(qr.cookie).toContain(`=${qr.poll_token};`);
    expect(qr.cookie).toMatch(/; Path=\/v1\/oauth\/qr;/);
    expect(qr.cookie).toMatch(/; HttpOnly/);
    expect(qr.cookie).toMatch(/; SameSite=Strict/);
    expect(qr.cookie).not.toMatch(/Secure/);
    const row = await kysely().selectFrom("qr_logins").selectAll().where("qr_token_hash", "=", hashToken(qr.qr_token)).executeTakeFirstOrThrow();
    expect(row.poll_token_hash).toBe(hashToken(qr.poll_token));
    expect(JSON.stringify(row)).not.toContain(qr.qr_token);
    expect(JSON.stringify(row)).not.toContain(qr.poll_token);
  });

  it("the screen sees pending, then scanned with the requester shown to the phone, then its tokens exactly once after approval", async () => {
    const phone = await signedInUser();
    const qr = await newQr();
    expect((await poll(qr)).body).toMatchObject({ status: "pending", interval: 2, expires_in: 120 });

    const scanned = await scan(qr.qr_token, phone.accessToken);
    expect(scanned.status).toBe(200);
    expect(scanned.body).toEqual({ browser: "Chrome 142", os: "Windows 10", ip: qr.ip, location: "Local network", created_at: expect.any(String), expires_in: 120 });
    expect((await poll(qr, { wait: 0 })).status).toBe(429);

    const approved = await decide(qr.qr_token, phone.accessToken);
    expect(approved).toMatchObject({ status: 200, body: { status: "approved" } });
    const handed = await call<Tokens & { status: string }>(pollQr, { body: { qr_token: qr.qr_token, poll_token: qr.poll_token }, ip: qr.ip, headers: { "user-agent": DESKTOP_UA } });
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ status: "approved", token_type: "Bearer", expires_in: 900, user: { id: phone.userId } });
    expect(handed.headers.get("set-cookie")).toMatch(/Max-Age=0/);

    const me = await call(userinfo, { headers: { authorization: `Bearer ${handed.body.access_token}` } });
    expect(me).toMatchObject({ status: 200, body: { id: phone.userId } });
    const sessions = await qrSessions(phone.userId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ ip: qr.ip, user_agent: DESKTOP_UA });
    const events = await kysely().selectFrom("audit_events").selectAll().where("user_id", "=", phone.userId).orderBy("created_at", "asc").execute();
    expect(events.map((e) => e.type)).toEqual(["sign_in", "qr_scanned", "qr_approved", "sign_in"]);
    expect(JSON.parse(events[3].detail ?? "{}")).toMatchObject({ via: "qr" });

    const again = await poll(qr);
    expect(again).toMatchObject({ status: 410, body: { error: "qr_consumed" } });
  });

  it("the poll token may come from the cookie instead of the body", async () => {
    const qr = await newQr();
    const cookie = qr.cookie.split(";")[0];
    const reply = await call(pollQr, { body: { qr_token: qr.qr_token }, ip: qr.ip, headers: { cookie: `other=1; ${cookie}` } });
    expect(reply).toMatchObject({ status: 200, body: { status: "pending" } });
  });

  it("a denied login answers 403 access_denied to the screen, and cannot then be approved", async () => {
    const phone = await signedInUser();
    const qr = await newQr();
    await scan(qr.qr_token, phone.accessToken);
    expect((await decide(qr.qr_token, phone.accessToken, "deny")).body).toEqual({ status: "denied" });
    expect(await poll(qr)).toMatchObject({ status: 403, body: { error: "access_denied" } });
    expect(await decide(qr.qr_token, phone.accessToken)).toMatchObject({ status: 409, body: { error: "qr_already_used" } });
    const events = await kysely().selectFrom("audit_events").select("id").where("user_id", "=", phone.userId).where("type", "=", "qr_denied").execute();
    expect(events).toHaveLength(1);
  });

  it("a QR code nobody scans expires after 120 s", async () => {
    const phone = await signedInUser();
    const start = new Date();
    const qr = await startQrLogin({ ip: randomIp(), userAgent: DESKTOP_UA, now: start });
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    await expect(pollQrLogin({ qrToken: qr.qr_token, pollToken: qr.poll_token, ip: "10.0.0.1", now: at(119) })).resolves.toMatchObject({ status: "pending", expires_in: 1 });
    await expect(pollQrLogin({ qrToken: qr.qr_token, pollToken: qr.poll_token, ip: "10.0.0.1", now: at(121) })).rejects.toMatchObject({ code: "expired_token", status: 410 });
    const row = await kysely().selectFrom("qr_logins").selectAll().where("qr_token_hash", "=", hashToken(qr.qr_token)).executeTakeFirstOrThrow();
    expect(row.status).toBe("expired");
    await expect(scanQrLogin({ qrToken: qr.qr_token, userId: phone.userId, ip: "10.0.0.2" })).rejects.toMatchObject({ code: "expired_token" });
    const late = await scan(qr.qr_token, phone.accessToken);
    expect(late).toMatchObject({ status: 410, body: { error: "expired_token" } });
  });

  it("scanning gives the phone a fresh 120 s to decide, and an approval after that is refused with 410", async () => {
    const phone = await signedInUser();
    const start = new Date();
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const qr = await startQrLogin({ ip: randomIp(), userAgent: DESKTOP_UA, now: start });
    await expect(scanQrLogin({ qrToken: qr.qr_token, userId: phone.userId, ip: "10.0.0.2", now: at(100) })).resolves.toMatchObject({ expires_in: 120 });
    await expect(pollQrLogin({ qrToken: qr.qr_token, pollToken: qr.poll_token, ip: "10.0.0.1", now: at(150) })).resolves.toMatchObject({ status: "scanned", expires_in: 70 });
    await expect(decideQrLogin({ qrToken: qr.qr_token, decision: "approve", userId: phone.userId, ip: "10.0.0.2", now: at(221) })).rejects.toMatchObject({
      code: "expired_token",
      status: 410,
    });
    const unscanned = await startQrLogin({ ip: randomIp(), now: start });
    await expect(decideQrLogin({ qrToken: unscanned.qr_token, decision: "approve", userId: phone.userId, ip: "10.0.0.2", now: at(121) })).rejects.toMatchObject({
      code: "expired_token",
    });
  });

  it("an approval nobody collects lapses, and the screen is told it expired", async () => {
    const phone = await signedInUser();
    const qr = await startQrLogin({ ip: randomIp() });
    await decideQrLogin({ qrToken: qr.qr_token, decision: "approve", userId: phone.userId, ip: "10.0.0.2" });
    const later = new Date(Date.now() + 61_000);
    await expect(pollQrLogin({ qrToken: qr.qr_token, pollToken: qr.poll_token, ip: "10.0.0.1", now: later })).rejects.toMatchObject({ code: "expired_token" });
    expect(await qrSessions(phone.userId)).toHaveLength(0);
  });

  it("a second approval is refused with 409, and so is another account's answer to a scanned code", async () => {
    const phone = await signedInUser();
    const stranger = await signedInUser();
    const qr = await newQr();
    expect((await scan(qr.qr_token, phone.accessToken)).status).toBe(200);
    expect(await scan(qr.qr_token, phone.accessToken)).toMatchObject({ status: 200, body: { browser: "Chrome 142" } });
    expect(await scan(qr.qr_token, stranger.accessToken)).toMatchObject({ status: 409, body: { error: "qr_already_used" } });
    expect(await decide(qr.qr_token, stranger.accessToken)).toMatchObject({ status: 409, body: { error: "qr_already_used" } });
    expect(await decide(qr.qr_token, phone.accessToken, "approve")).toMatchObject({ status: 200, body: { status: "approved" } });
    expect(await decide(qr.qr_token, phone.accessToken, "approve")).toMatchObject({ status: 409, body: { error: "qr_already_used" } });
    expect(await decide(qr.qr_token, phone.accessToken, "deny")).toMatchObject({ status: 409, body: { error: "qr_already_used" } });
  });

  it("an unknown QR code is 404 to the phone, and a missing token or no sign-in is refused", async () => {
    const phone = await signedInUser();
    expect(await scan("wrfdoesnotexist0000000000", phone.accessToken)).toMatchObject({ status: 404, body: { error: "qr_not_found" } });
    expect(await decide("wrfdoesnotexist0000000000", phone.accessToken)).toMatchObject({ status: 404, body: { error: "qr_not_found" } });
    expect(await call(scanQr, { path: "/v1/oauth/qr/authorize", headers: { authorization: `Bearer ${phone.accessToken}` } })).toMatchObject({ status: 400 });
    const qr = await newQr();
    const anonymous = await call(decideQr, { body: { qr_token: qr.qr_token } });
    expect(anonymous).toMatchObject({ status: 401, body: { error: "invalid_token" } });
    expect(await decide(qr.qr_token, "not-a-token")).toMatchObject({ status: 401, body: { error: "invalid_token" } });
  });

  it("a missing or wrong poll token gets the same 400 as an unknown qr_token", async () => {
    const qr = await newQr();
    const missing = await call(pollQr, { body: { qr_token: qr.qr_token }, ip: qr.ip });
    const wrong = await poll({ ...qr, poll_token: `${qr.poll_token.slice(0, -2)}xx` });
    const otherQrs = await poll({ ...qr, poll_token: (await newQr()).poll_token });
    const unknown = await poll({ ...qr, qr_token: "wrfnosuchcode000000000000" });
    for (const reply of [missing, wrong, otherQrs, unknown]) {
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual(unknown.body);
    }
    expect(unknown.body).toMatchObject({ error: "invalid_request" });
  });

  it("a wait beyond 25 s or a body that is not JSON is refused with 400", async () => {
    const qr = await newQr();
    expect(await poll(qr, { wait: 26 })).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await poll(qr, { wait: "5" })).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await call(pollQr, { raw: "qr_token=x", headers: { "content-type": "text/plain" } })).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });

  it("short polls faster than once a second get 429 slow_down with Retry-After", async () => {
    const qr = await startQrLogin({ ip: randomIp() });
    const start = new Date();
    const at = (ms: number) => new Date(start.getTime() + ms);
    const input = { qrToken: qr.qr_token, pollToken: qr.poll_token, ip: "10.0.0.1" };
    await expect(pollQrLogin({ ...input, now: at(0) })).resolves.toMatchObject({ status: "pending" });
    await expect(pollQrLogin({ ...input, now: at(600) })).rejects.toMatchObject({ code: "slow_down", status: 429, extra: { retryAfter: 1 } });
    await expect(pollQrLogin({ ...input, now: at(1000) })).resolves.toMatchObject({ status: "pending" });
    const reply = await call(pollQr, { body: { qr_token: qr.qr_token, poll_token: qr.poll_token } });
    expect(reply.status).toBe(429);
    expect(reply.body.error).toBe("slow_down");
    expect(reply.headers.get("retry-after")).toBe("1");
  });

  it("of 20 concurrent polls of an approved login, exactly one gets the tokens and the rest 410 qr_consumed", async () => {
    const phone = await signedInUser();
    const qr = await newQr();
    await scan(qr.qr_token, phone.accessToken);
    await decide(qr.qr_token, phone.accessToken);
    const replies = await Promise.all(Array.from({ length: 20 }, () => poll(qr)));
    const winners = replies.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(winners[0].body).toMatchObject({ status: "approved", access_token: expect.any(String), refresh_token: expect.any(String) });
    const losers = replies.filter((r) => r.status !== 200);
    expect(losers.map((r) => [r.status, r.body.error])).toEqual(Array.from({ length: 19 }, () => [410, "qr_consumed"]));
    expect(await qrSessions(phone.userId)).toHaveLength(1);
  });

  it("the per-address limit on new QR codes answers 429 with Retry-After", async () => {
    const ip = randomIp();
    const replies = [];
    for (let i = 0; i < 61; i++) replies.push(await call(startQr, { ip }));
    expect(replies.slice(0, 60).every((r) => r.status === 200)).toBe(true);
    expect(replies[60]).toMatchObject({ status: 429, body: { error: "rate_limited" } });
    expect(Number(replies[60].headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
