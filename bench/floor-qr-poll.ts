// Floor for the QR short poll: node:http running the portal's own statements
// (lib/db/qr-logins.ts, lib/db/rate-limit-buckets.ts; see `npx tsx bench/trace-queries.ts`):
//   GET  /v1/oauth/qr  rate-limit upsert; INSERT qr_logins
//   POST /v1/oauth/qr  rate-limit upsert; SELECT qr_logins by qr_token_hash;
//                      guarded UPDATE of last_polled_at (1 poll/s)
//   DATABASE_URL=… FLOOR_PORT=… node --import tsx bench/floor-qr-poll.ts   (prints "listening <port>")
import { randomBytes } from "node:crypto";
import { findPolledByTokenHash, insertQrLogin, stampPoll } from "../lib/db/qr-logins";
import { countEvents } from "../lib/db/rate-limit-buckets";
import { Refusal, hmac, safeEqual, serve, within } from "./floor-common";

const TTL_MS = Number(process.env.QR_TTL_SECONDS ?? 600) * 1000;
const PER_IP = Number(process.env.QR_PER_IP_PER_10_MIN ?? 60);
const POLLS_PER_IP = Number(process.env.QR_POLL_PER_IP_PER_MINUTE ?? 300);

serve({
  "GET /v1/oauth/qr": async (_body, ip) => {
    const now = Date.now();
    if (!(await within(countEvents, [[`qr:ip:${ip}`, PER_IP, 600_000]], now))) throw new Refusal(429, "rate_limited", 60);
    const qrToken = `wrf${randomBytes(16).toString("base64url")}`;
    const pollToken = `wqp_${randomBytes(16).toString("base64url")}`;
    await insertQrLogin({
      qrTokenHash: hmac("token-hash", qrToken),
      pollTokenHash: hmac("token-hash", pollToken),
      status: "pending",
      clientId: null,
      ip,
      userAgent: null,
      browser: "Unknown browser",
      os: "Unknown operating system",
      location: "Local network",
      createdAt: new Date(now),
      expiresAt: new Date(now + TTL_MS),
    });
    return { qr_token: qrToken, qr_url: `http://localhost/qr/${qrToken}`, poll_token: pollToken, expires_in: TTL_MS / 1000, interval: 2 };
  },
  "POST /v1/oauth/qr": async (body, ip) => {
    const now = Date.now();
    if (!(await within(countEvents, [[`qr-poll:ip:${ip}`, POLLS_PER_IP, 60_000]], now))) throw new Refusal(429, "rate_limited", 60);
    if (typeof body.qr_token !== "string" || typeof body.poll_token !== "string") throw new Refusal(400, "invalid_request");
    const login = await findPolledByTokenHash(hmac("token-hash", body.qr_token));
    if (!login || !safeEqual(hmac("token-hash", body.poll_token), login.pollTokenHash)) throw new Refusal(400, "invalid_request");
    const expiresAt = login.expiresAt.getTime();
    if (login.status !== "pending" || expiresAt <= now) throw new Refusal(410, "expired_token");
    if (!(await stampPoll(login.id, new Date(now)))) throw new Refusal(429, "slow_down", 1);
    return { status: "pending", interval: 2, expires_in: Math.ceil((expiresAt - now) / 1000) };
  },
});
