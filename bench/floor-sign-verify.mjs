// Floor for sign + verify with a new identity: node:http + better-sqlite3
// running the SQL the portal runs (see `npx tsx bench/trace-queries.ts`), with
// the same crypto (HMAC-SHA256 code and token hashes, an ES256 access token):
//   POST /v1/oauth/sign    one rate-limit upsert of 3 windows (IP, cooldown, sends);
//                          BEGIN; supersede the previous code; INSERT challenge; COMMIT;
//                          INSERT outbox message; INSERT audit event
//   POST /v1/oauth/verify  rate-limit upsert (IP); SELECT failure bucket; SELECT challenge;
//                          BEGIN; guarded consume; SELECT identity; INSERT user;
//                          INSERT identity ON CONFLICT DO NOTHING; INSERT session;
//                          INSERT refresh token; INSERT audit event; COMMIT
//   node bench/floor-sign-verify.mjs <sqlite file>   (PORT=…, prints "listening <port>")
import { generateKeyPairSync, randomBytes, randomInt, randomUUID, sign } from "node:crypto";
import { Refusal, hmac, iso, newId, openDatabase, rateLimiter, safeEqual, serve } from "./floor-common.mjs";

const db = openDatabase(process.argv[2]);
const hit = rateLimiter(db);
const SIGN_PER_IP = Number(process.env.SIGN_PER_IP_PER_10_MIN ?? 30);
const VERIFY_PER_IP = Number(process.env.VERIFY_PER_IP_PER_10_MIN ?? 60);
const CODE_TTL_MS = 300_000;
const MAX_ATTEMPTS = 5;
const MINUTE = 60_000;
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });

const q = {
  begin: db.prepare("BEGIN"),
  commit: db.prepare("COMMIT"),
  supersede: db.prepare("UPDATE challenges SET status = 'superseded' WHERE identity_value = ? AND status = 'active' AND user_id IS NULL"),
  insertChallenge: db.prepare(`INSERT INTO challenges (id, identity_type, identity_value, channel, code_hash, nonce, message, user_id, status, attempts, created_at, expires_at)
    VALUES (?, 'email', ?, 'email', ?, NULL, NULL, NULL, 'active', 0, ?, ?)`),
  insertOutbox: db.prepare("INSERT INTO outbox_messages (id, channel, recipient, subject, body, code, created_at) VALUES (?, 'email', ?, ?, ?, ?, ?)"),
  insertEvent: db.prepare(`INSERT INTO audit_events (id, user_id, type, subject, session_id, ip, user_agent, detail, created_at)
    VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`),
  findBucket: db.prepare("SELECT count, reset_at FROM rate_limit_buckets WHERE key = ?"),
  findChallenge: db.prepare(`SELECT id, identity_value, channel, code_hash, nonce, message, attempts, expires_at
    FROM challenges WHERE identity_value = ? AND status = 'active' AND user_id IS NULL ORDER BY created_at DESC LIMIT 1`),
  consume: db.prepare("UPDATE challenges SET status = 'consumed', consumed_at = ? WHERE id = ? AND status = 'active' AND expires_at > ? AND attempts < ?"),
  findIdentity: db.prepare("SELECT user_id FROM identities WHERE value = ?"),
  insertUser: db.prepare("INSERT INTO users (id, created_at) VALUES (?, ?)"),
  insertIdentity: db.prepare("INSERT INTO identities (id, user_id, type, value, verified_at, created_at) VALUES (?, ?, 'email', ?, ?, ?) ON CONFLICT (value) DO NOTHING"),
  insertSession: db.prepare(`INSERT INTO sessions (id, user_id, created_via, client_id, ip, user_agent, created_at, last_seen_at, expires_at)
    VALUES (?, ?, 'code', NULL, ?, NULL, ?, ?, ?)`),
  insertRefresh: db.prepare("INSERT INTO refresh_tokens (id, session_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)"),
};

function identityOf(body) {
  if (typeof body.id !== "string" || !body.id.includes("@")) throw new Refusal(400, "invalid_identity");
  return body.id.trim().toLowerCase();
}

function base64url(value) {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

function accessToken(userId, sessionId, now) {
  const iat = Math.floor(now / 1000);
  const header = base64url({ alg: "ES256", kid: "floor", typ: "at+jwt" });
  const payload = base64url({ sid: sessionId, iss: "http://localhost", sub: userId, aud: "werify-api", iat, exp: iat + 900, jti: randomUUID() });
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${header}.${payload}.${signature.toString("base64url")}`;
}

serve({
  "POST /v1/oauth/sign": (body, ip) => {
    const value = identityOf(body);
    const now = Date.now();
    const counters = [
      [`sign:ip:${ip}`, SIGN_PER_IP, 10 * MINUTE],
      [`cooldown:${value}`, 1, 30_000],
      [`sends:${value}`, 5, 60 * MINUTE],
    ];
    if (!hit(counters, now)) throw new Refusal(429, "rate_limited", 30);
    const challengeId = `ch_${randomBytes(16).toString("base64url")}`;
    const code = randomInt(0, 1_000_000).toString().padStart(6, "0");
    q.begin.run();
    q.supersede.run(value);
    q.insertChallenge.run(challengeId, value, hmac("otp-code", `${challengeId}:${code}`), iso(now), iso(now + CODE_TTL_MS));
    q.commit.run();
    q.insertOutbox.run(newId(), value, "Your sign-in code", `Your code is ${code}. It expires in 5 minutes.`, code, iso(now));
    q.insertEvent.run(newId(), null, "code_sent", value, null, ip, JSON.stringify({ channel: "email" }), iso(now));
    return { challenge_id: challengeId, id_type: "email", channel: "email", expires_in: 300, resend_after: 30, code_length: 6 };
  },
  "POST /v1/oauth/verify": (body, ip) => {
    const value = identityOf(body);
    const now = Date.now();
    if (!hit([[`verify:ip:${ip}`, VERIFY_PER_IP, 10 * MINUTE]], now)) throw new Refusal(429, "rate_limited", 60);
    const [bucket] = q.findBucket.all(`failures:${value}`);
    if (bucket && bucket.reset_at > now && bucket.count >= 20) throw new Refusal(429, "too_many_attempts", 60);
    const [challenge] = q.findChallenge.all(value);
    const code = typeof body.code === "number" ? String(body.code).padStart(6, "0") : String(body.code ?? "").trim();
    if (!challenge || Date.parse(challenge.expires_at) <= now || !safeEqual(hmac("otp-code", `${challenge.id}:${code}`), challenge.code_hash)) {
      throw new Refusal(400, "invalid_code");
    }
    q.begin.run();
    try {
      if (q.consume.run(iso(now), challenge.id, iso(now), MAX_ATTEMPTS).changes !== 1) throw new Refusal(400, "invalid_code");
      // The bench signs in new identities only, as the portal's new-user path: the user view is built from the rows written.
      if (q.findIdentity.all(value)[0]) throw new Refusal(500, "floor_serves_new_users_only");
      const userId = newId();
      q.insertUser.run(userId, iso(now));
      q.insertIdentity.run(newId(), userId, value, iso(now), iso(now));
      const sessionId = newId();
      q.insertSession.run(sessionId, userId, ip, iso(now), iso(now), iso(now + 30 * 86_400_000));
      const refreshToken = `wrt_${randomBytes(32).toString("base64url")}`;
      q.insertRefresh.run(newId(), sessionId, hmac("token-hash", refreshToken), iso(now), iso(now + 30 * 86_400_000));
      q.insertEvent.run(newId(), userId, "sign_in", value, sessionId, ip, JSON.stringify({ via: "code", new_user: true }), iso(now));
      q.commit.run();
      const at = new Date(now).toISOString();
      return {
        access_token: accessToken(userId, sessionId, now),
        token_type: "Bearer",
        expires_in: 900,
        refresh_token: refreshToken,
        user: { id: userId, identities: [{ type: "email", value, verified_at: at }], created_at: at },
        is_new_user: true,
      };
    } catch (error) {
      if (db.inTransaction) db.prepare("ROLLBACK").run();
      throw error;
    }
  },
});
