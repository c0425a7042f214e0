import { afterAll, describe, expect, it, vi } from "vitest";
import { GET as startQr, POST as pollQr } from "@/app/v1/oauth/qr/route";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { config } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { heldPolls, stopWatching } from "@/lib/qr/changes";
import { pollQrLogin } from "@/lib/qr/poll-qr-login";
import { scanQrLogin } from "@/lib/qr/scan-qr-login";
import { call, randomIp, uniqueEmail, type Reply } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

type Started = { qr_token: string; poll_token: string };
type Answered = Reply & { at: number };

async function newQr(): Promise<Started> {
  return (await call<Started>(startQr)).body;
}

async function phoneUser(): Promise<string> {
  const email = uniqueEmail("limits-phone");
  const ip = randomIp();
  await call(sign, { body: { id: email }, ip });
  const reply = await call<{ user: { id: string } }>(verify, { body: { id: email, code: await latestCode(email) }, ip });
  return reply.body.user.id;
}

function longPoll(qr: Started, ip: string, wait = 20): Promise<Answered> {
  return call(pollQr, { body: { ...qr, wait }, ip }).then((r) => ({ ...r, at: Date.now() }));
}

/** A long poll through the route, once this process holds it; `answer` carries the reply and when it arrived. */
async function held(qr: Started, ip: string, wait = 20): Promise<{ answer: Promise<Answered> }> {
  const before = heldPolls();
  const answer = longPoll(qr, ip, wait);
  await vi.waitFor(() => expect(heldPolls()).toBeGreaterThan(before), { interval: 10, timeout: 5000 });
  return { answer };
}

describe.skipIf(noDatabase)("QR poll limits", () => {
  afterAll(async () => {
    await stopWatching();
    await disconnectDb();
  });

  it("one address holding its whole share of long polls is told to slow down, while another address's screen stays held and is answered", async () => {
    const { QR_HELD_POLLS_PER_IP: perIp, QR_HELD_POLLS_PER_LOGIN: perLogin } = config();
    expect(perIp).toBe(100);
    expect(perLogin).toBe(2);
    const attacker = randomIp();
    const victimIp = randomIp();
    const victim = await newQr();
    const { answer: victimAnswer } = await held(victim, victimIp);

    // The attacker fills its share with two long polls on each of 50 QR codes, cancelled at the end.
    const base = heldPolls();
    const codes = await Promise.all(Array.from({ length: perIp / perLogin }, () => newQr()));
    const stops = codes.flatMap(() => Array.from({ length: perLogin }, () => new AbortController()));
    const attacks = stops.map((stop, i) => {
      const qr = codes[Math.floor(i / perLogin)];
      return pollQrLogin({ qrToken: qr.qr_token, pollToken: qr.poll_token, wait: 25, ip: attacker, signal: stop.signal });
    });
    await vi.waitFor(() => expect(heldPolls()).toBe(base + perIp), { interval: 10, timeout: 5000 });

    const refused = await call(pollQr, { body: { ...(await newQr()), wait: 20 }, ip: attacker });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: "slow_down" });
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(heldPolls()).toBe(base + perIp);

    // Somebody else's new screen still gets a held long poll, and the waiting one is still held and answers the scan.
    const other = await newQr();
    const { answer: otherAnswer } = await held(other, randomIp());
    await scanQrLogin({ qrToken: victim.qr_token, userId: await phoneUser(), ip: "10.9.9.9" });
    const scannedAt = Date.now();
    const answered = await victimAnswer;
    expect(answered.body).toMatchObject({ status: "scanned" });
    expect(answered.at - scannedAt).toBeLessThan(1000);

    for (const stop of stops) stop.abort();
    for (const answer of await Promise.all(attacks)) expect(answer).toMatchObject({ status: "pending" });
    await scanQrLogin({ qrToken: other.qr_token, userId: await phoneUser(), ip: "10.9.9.9" });
    expect((await otherAnswer).body).toMatchObject({ status: "scanned" });
    expect(heldPolls()).toBe(0);
  });

  it("a third long poll of one QR code is told to slow down, and the two held still answer the scan", async () => {
    const qr = await newQr();
    const ip = randomIp();
    const base = heldPolls();
    const { answer: first } = await held(qr, ip);
    const { answer: second } = await held(qr, ip);

    const third = await call(pollQr, { body: { ...qr, wait: 20 }, ip });
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ error: "slow_down" });
    expect(third.headers.get("retry-after")).toBe("2");
    expect(heldPolls()).toBe(base + 2);
    // From another address too: the cap is the QR code's.
    expect((await call(pollQr, { body: { ...qr, wait: 20 }, ip: randomIp() })).status).toBe(429);

    await scanQrLogin({ qrToken: qr.qr_token, userId: await phoneUser(), ip: "10.9.9.9" });
    for (const answer of await Promise.all([first, second])) expect(answer.body).toMatchObject({ status: "scanned" });
    expect(heldPolls()).toBe(base);
    // Once they have answered, the screen's next long poll is held again.
    const { answer: next } = await held(qr, ip, 1);
    expect((await next).body).toMatchObject({ status: "scanned" });
  });

  it("a flood of polls from one address is cut off after QR_POLL_PER_IP_PER_MINUTE, and other addresses keep polling", async () => {
    const limit = config().QR_POLL_PER_IP_PER_MINUTE;
    expect(limit).toBe(300);
    const flooder = randomIp();
    const guess = { qr_token: "wrfguess", poll_token: "wqp_guess" };
    const statuses: number[] = [];
    for (let i = 0; i < limit; i += 50) {
      const replies = await Promise.all(Array.from({ length: 50 }, () => call(pollQr, { body: guess, ip: flooder })));
      statuses.push(...replies.map((r) => r.status));
    }
    expect(statuses.every((status) => status === 400)).toBe(true);

    const cut = await call(pollQr, { body: { ...(await newQr()) }, ip: flooder });
    expect(cut.status).toBe(429);
    expect(cut.body).toMatchObject({ error: "rate_limited" });
    expect(Number(cut.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(cut.headers.get("retry-after"))).toBeLessThanOrEqual(60);

    const screen = await call(pollQr, { body: { ...(await newQr()) }, ip: randomIp() });
    expect(screen).toMatchObject({ status: 200, body: { status: "pending" } });
  });
});
