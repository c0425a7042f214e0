import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { GET as startQr, POST as pollQr } from "@/app/v1/oauth/qr/route";
import { POST as decideQr } from "@/app/v1/oauth/qr/authorize/route";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { config } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { kysely } from "@/lib/db/kysely";
import { sqlitePath } from "@/lib/db/migrate";
import { heldPolls, stopWatching } from "@/lib/qr/changes";
import { pollQrLogin } from "@/lib/qr/poll-qr-login";
import { scanQrLogin } from "@/lib/qr/scan-qr-login";
import { startQrLogin } from "@/lib/qr/start-qr-login";
import { hashToken } from "@/lib/tokens/hash";
import { call, randomIp, uniqueEmail, type Reply } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

type Started = { qr_token: string; poll_token: string };

const postgres = (process.env.DATABASE_URL ?? "").startsWith("postgres");

async function signedInUser(): Promise<{ accessToken: string; userId: string }> {
  const email = uniqueEmail("phone");
  const ip = randomIp();
  await call(sign, { body: { id: email }, ip });
  const reply = await call<{ access_token: string; user: { id: string } }>(verify, { body: { id: email, code: await latestCode(email) }, ip });
  return { accessToken: reply.body.access_token, userId: reply.body.user.id };
}

async function newQr(): Promise<Started> {
  return (await call<Started>(startQr)).body;
}

type Answered = Reply & { at: number };

/** Starts a long poll and returns once the server holds it; `answer` carries the reply and when it arrived. */
async function held(qr: Started, wait: number): Promise<{ answer: Promise<Answered> }> {
  const before = heldPolls();
  const answer = call(pollQr, { body: { qr_token: qr.qr_token, poll_token: qr.poll_token, wait } }).then((r) => ({ ...r, at: Date.now() }));
  await vi.waitFor(() => expect(heldPolls()).toBeGreaterThan(before), { interval: 10, timeout: 5000 });
  return { answer };
}

async function rowId(qrToken: string): Promise<string> {
  return (await kysely().selectFrom("qr_logins").select("id").where("qr_token_hash", "=", hashToken(qrToken)).executeTakeFirstOrThrow()).id;
}

describe.skipIf(noDatabase)("QR long polls", () => {
  afterAll(async () => {
    await stopWatching();
    await disconnectDb();
  });

  it("a long poll answers within a second of the phone scanning and of the approval", async () => {
    const phone = await signedInUser();
    const qr = await newQr();
    const first = await held(qr, 20);
    await scanQrLogin({ qrToken: qr.qr_token, userId: phone.userId, ip: "10.1.1.1" });
    const scannedAt = Date.now();
    const scanned = await first.answer;
    expect(scanned.body).toMatchObject({ status: "scanned" });
    expect(scanned.at - scannedAt).toBeLessThan(1000);

    const second = await held(qr, 20);
    const approval = await call(decideQr, { body: { qr_token: qr.qr_token }, headers: { authorization: `Bearer ${phone.accessToken}` } });
    const approvedAt = Date.now();
    expect(approval.body).toEqual({ status: "approved" });
    const handed = await second.answer;
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ status: "approved", access_token: expect.any(String), user: { id: phone.userId } });
    expect(handed.at - approvedAt).toBeLessThan(1000);
    expect(heldPolls()).toBe(0);
  });

  it("a long poll with nothing happening answers pending when its wait is over", async () => {
    const qr = await newQr();
    const started = Date.now();
    const reply = await call(pollQr, { body: { ...qr, wait: 1 } });
    expect(reply.body).toMatchObject({ status: "pending", interval: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("a long poll is answered 410 as soon as its code expires", async () => {
    const qr = await startQrLogin({ ip: randomIp(), now: new Date(Date.now() - 119_400) });
    const started = Date.now();
    await expect(pollQrLogin({ qrToken: qr.qr_token, pollToken: qr.poll_token, wait: 10, ip: "10.0.0.1" })).rejects.toMatchObject({ code: "expired_token" });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("past QR_MAX_HELD_POLLS a long poll is told to come back (503, Retry-After: 2) instead of being held", async () => {
    const settings = config();
    const limit = settings.QR_MAX_HELD_POLLS;
    const [first, second] = [await newQr(), await newQr()];
    settings.QR_MAX_HELD_POLLS = heldPolls() + 1;
    try {
      const holding = await held(first, 1);
      const refused = await call(pollQr, { body: { qr_token: second.qr_token, poll_token: second.poll_token, wait: 20 } });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: "temporarily_unavailable" });
      expect(refused.headers.get("retry-after")).toBe("2");
      // A short poll costs no held socket and is still answered.
      const short = await call(pollQr, { body: { qr_token: second.qr_token, poll_token: second.poll_token } });
      expect(short).toMatchObject({ status: 200, body: { status: "pending" } });
      expect((await holding.answer).body).toMatchObject({ status: "pending" });
    } finally {
      settings.QR_MAX_HELD_POLLS = limit;
    }
  });

  it("a screen that goes away releases its held poll", async () => {
    const qr = await startQrLogin({ ip: randomIp() });
    const abort = new AbortController();
    const before = heldPolls();
    const polling = pollQrLogin({ qrToken: qr.qr_token, pollToken: qr.poll_token, wait: 20, ip: "10.0.0.1", signal: abort.signal });
    await vi.waitFor(() => expect(heldPolls()).toBe(before + 1), { interval: 10 });
    abort.abort();
    await expect(polling).resolves.toMatchObject({ status: "pending" });
    expect(heldPolls()).toBe(before);
  });

  it.runIf(postgres)("a change committed by another PostgreSQL client (NOTIFY werify_qr) wakes a held long poll within a second", async () => {
    const qr = await newQr();
    const id = await rowId(qr.qr_token);
    const polling = await held(qr, 20);
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("UPDATE qr_logins SET status = 'scanned', scanned_at = now() WHERE id = $1", [id]);
      await other.query("SELECT pg_notify('werify_qr', $1)", [id]);
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    const committedAt = Date.now();
    const reply = await polling.answer;
    expect(reply.body).toMatchObject({ status: "scanned" });
    expect(reply.at - committedAt).toBeLessThan(1000);
  });

  it.runIf(!postgres)("a change written by another process to the same SQLite file wakes a held long poll within a second", async () => {
    const qr = await newQr();
    const id = await rowId(qr.qr_token);
    const polling = await held(qr, 20);
    const other = new Database(sqlitePath(process.env.DATABASE_URL ?? ""), { timeout: 5000 });
    try {
      // As a transition does: the status and its timestamp, in Prisma's text format.
      other.prepare("UPDATE qr_logins SET status = 'scanned', scanned_at = ? WHERE id = ?").run(new Date().toISOString().replace("Z", "+00:00"), id);
    } finally {
      other.close();
    }
    const writtenAt = Date.now();
    const reply = await polling.answer;
    expect(reply.body).toMatchObject({ status: "scanned" });
    expect(reply.at - writtenAt).toBeLessThan(1000);
  });

  // Last: it stops this process's watcher the way server.mts does on SIGTERM.
  it("on shutdown every held long poll is answered at once with 503 temporarily_unavailable and Retry-After: 1", async () => {
    const polls = [];
    for (let i = 0; i < 3; i++) polls.push(await held(await newQr(), 20));
    const holder = globalThis as typeof globalThis & { __werifyShutdown?: () => void; __werifyQrWatch?: unknown };
    const started = Date.now();
    holder.__werifyShutdown?.();
    const replies = await Promise.all(polls.map((p) => p.answer));
    expect(Date.now() - started).toBeLessThan(500);
    for (const reply of replies) {
      expect(reply.status).toBe(503);
      expect(reply.body).toMatchObject({ error: "temporarily_unavailable" });
      expect(reply.headers.get("retry-after")).toBe("1");
    }
    const after = await call(pollQr, { body: { ...(await newQr()), wait: 5 } });
    expect(after.status).toBe(503);
    holder.__werifyQrWatch = undefined;
    holder.__werifyShutdown = undefined;
  });
});
