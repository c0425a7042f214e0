// Floor for the QR short poll: node:http + better-sqlite3 running the SQL the
// portal runs (see `npx tsx bench/trace-queries.ts`):
//   GET  /v1/oauth/qr  rate-limit upsert; INSERT qr_logins
//   POST /v1/oauth/qr  rate-limit upsert; SELECT qr_logins by qr_token_hash;
//                      guarded UPDATE of last_polled_at (1 poll/s)
//   node bench/floor-qr-poll.mjs <sqlite file>   (PORT=…, prints "listening <port>")
import { randomBytes } from "node:crypto";
import { Refusal, hmac, iso, newId, openDatabase, rateLimiter, safeEqual, serve } from "./floor-common.mjs";

const db = openDatabase(process.argv[2]);
const hit = rateLimiter(db);
const TTL_MS = Number(process.env.QR_TTL_SECONDS ?? 600) * 1000;
const PER_IP = Number(process.env.QR_PER_IP_PER_10_MIN ?? 60);
const POLLS_PER_IP = Number(process.env.QR_POLL_PER_IP_PER_MINUTE ?? 300);

const insertLogin = db.prepare(`INSERT INTO qr_logins (id, qr_token_hash, poll_token_hash, status, client_id, ip, user_agent, browser, os, location, created_at, expires_at)
  VALUES (?, ?, ?, 'pending', NULL, ?, NULL, 'Unknown browser', 'Unknown operating system', 'Local network', ?, ?) RETURNING *`);
const findLogin = db.prepare("SELECT id, poll_token_hash, status, client_id, expires_at FROM qr_logins WHERE qr_token_hash = ?");
const throttle = db.prepare("UPDATE qr_logins SET last_polled_at = ? WHERE id = ? AND (last_polled_at IS NULL OR last_polled_at <= ?)");

serve({
  "GET /v1/oauth/qr": (_body, ip) => {
    const now = Date.now();
    if (!hit([[`qr:ip:${ip}`, PER_IP, 600_000]], now)) throw new Refusal(429, "rate_limited", 60);
    const qrToken = `wrf${randomBytes(16).toString("base64url")}`;
    const pollToken = `wqp_${randomBytes(16).toString("base64url")}`;
    insertLogin.all(newId(), hmac("token-hash", qrToken), hmac("token-hash", pollToken), ip, iso(now), iso(now + TTL_MS));
    return { qr_token: qrToken, qr_url: `http://localhost/qr/${qrToken}`, poll_token: pollToken, expires_in: TTL_MS / 1000, interval: 2 };
  },
  "POST /v1/oauth/qr": (body, ip) => {
    const now = Date.now();
    if (!hit([[`qr-poll:ip:${ip}`, POLLS_PER_IP, 60_000]], now)) throw new Refusal(429, "rate_limited", 60);
    if (typeof body.qr_token !== "string" || typeof body.poll_token !== "string") throw new Refusal(400, "invalid_request");
    const [login] = findLogin.all(hmac("token-hash", body.qr_token));
    if (!login || !safeEqual(hmac("token-hash", body.poll_token), login.poll_token_hash)) throw new Refusal(400, "invalid_request");
    const expiresAt = Date.parse(login.expires_at);
    if (login.status !== "pending" || expiresAt <= now) throw new Refusal(410, "expired_token");
    const { changes } = throttle.run(iso(now), login.id, iso(now - 1000));
    if (changes !== 1) throw new Refusal(429, "slow_down", 1);
    return { status: "pending", interval: 2, expires_in: Math.ceil((expiresAt - now) / 1000) };
  },
});
