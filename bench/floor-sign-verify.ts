// Floor for sign + verify with a new identity: node:http running the portal's
// own statements (the lib/db modules, see `npx tsx bench/trace-queries.ts`) in
// the same transactions, with the same crypto (HMAC-SHA256 code and token
// hashes, an ES256 access token), and none of the portal's other work:
//   POST /v1/oauth/sign    one rate-limit upsert of 3 windows (IP, cooldown, sends);
//                          issueCode (PostgreSQL: one statement superseding the previous
//                          code and inserting the challenge; SQLite: BEGIN; UPDATE; INSERT; COMMIT);
//                          INSERT outbox message; INSERT audit event
//   POST /v1/oauth/verify  countAndFindCode (PostgreSQL: one statement counting the IP,
//                          reading the failure bucket and the challenge; SQLite: three);
//                          signInWithChallenge (PostgreSQL: one statement consuming the
//                          code and writing user, identity, session, refresh token, audit
//                          event; SQLite: the same in BEGIN … COMMIT)
//   DATABASE_URL=… FLOOR_PORT=… node --import tsx bench/floor-sign-verify.ts   (prints "listening <port>")
import { generateKeyPairSync, randomBytes, randomInt, randomUUID, sign } from "node:crypto";
import { insertAuditEvent } from "../lib/db/audit-events";
import { issueCode } from "../lib/db/challenges";
import { newId } from "../lib/db/ids";
import { kysely } from "../lib/db/kysely";
import { insertOutboxMessage } from "../lib/db/outbox-messages";
import { countEvents } from "../lib/db/rate-limit-buckets";
import { countAndFindCode, signInWithChallenge } from "../lib/db/sign-ins";
import { Refusal, hmac, safeEqual, serve, within } from "./floor-common";

const SIGN_PER_IP = Number(process.env.SIGN_PER_IP_PER_10_MIN ?? 30);
const VERIFY_PER_IP = Number(process.env.VERIFY_PER_IP_PER_10_MIN ?? 60);
const CODE_TTL_MS = 300_000;
const MAX_ATTEMPTS = 5;
const MINUTE = 60_000;
const DAY = 86_400_000;
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });

function identityOf(body: Record<string, unknown>): string {
  if (typeof body.id !== "string" || !body.id.includes("@")) throw new Refusal(400, "invalid_identity");
  return body.id.trim().toLowerCase();
}

function base64url(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

function accessToken(userId: string, sessionId: string, now: number): string {
  const iat = Math.floor(now / 1000);
  const header = base64url({ alg: "ES256", kid: "floor", typ: "at+jwt" });
  const payload = base64url({ sid: sessionId, iss: "http://localhost", sub: userId, aud: "werify-api", iat, exp: iat + 900, jti: randomUUID() });
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${header}.${payload}.${signature.toString("base64url")}`;
}

serve({
  "POST /v1/oauth/sign": async (body, ip) => {
    const value = identityOf(body);
    const now = Date.now();
    const at = new Date(now);
    const counters: [string, number, number][] = [
      [`sign:ip:${ip}`, SIGN_PER_IP, 10 * MINUTE],
      [`cooldown:${value}`, 1, 30_000],
      [`sends:${value}`, 5, 60 * MINUTE],
    ];
    if (!(await within(countEvents, counters, now))) throw new Refusal(429, "rate_limited", 30);
    const challengeId = `ch_${randomBytes(16).toString("base64url")}`;
    const code = randomInt(0, 1_000_000).toString().padStart(6, "0");
    await issueCode({
        id: challengeId,
        identityType: "email",
        identityValue: value,
        channel: "email",
        codeHash: hmac("otp-code", `${challengeId}:${code}`),
        nonce: null,
        message: null,
        owner: null,
        requestedFrom: ip,
        now: at,
        expiresAt: new Date(now + CODE_TTL_MS),
    });
    await insertOutboxMessage({ channel: "email", recipient: value, subject: "Your sign-in code", body: `Your code is ${code}. It expires in 5 minutes.`, code, now: at });
    await insertAuditEvent(kysely(), { type: "code_sent", userId: null, subject: value, sessionId: null, ip, userAgent: null, detail: JSON.stringify({ channel: "email" }), at });
    return { challenge_id: challengeId, id_type: "email", channel: "email", expires_in: 300, resend_after: 30, code_length: 6 };
  },
  "POST /v1/oauth/verify": async (body, ip) => {
    const value = identityOf(body);
    const now = Date.now();
    const at = new Date(now);
    const { counted, lock, newest: challenge } = await countAndFindCode({
      counters: [{ key: `verify:ip:${ip}`, resetAt: now + 10 * MINUTE }],
      lockKey: `failures:${value}`,
      identityValue: value,
      owner: null,
      now,
    });
    if (!(await within(async () => counted, [[`verify:ip:${ip}`, VERIFY_PER_IP, 10 * MINUTE]], now))) throw new Refusal(429, "rate_limited", 60);
    if (lock && lock.resetAt > now && lock.count >= 20) throw new Refusal(429, "too_many_attempts", 60);
    const code = typeof body.code === "number" ? String(body.code).padStart(6, "0") : String(body.code ?? "").trim();
    if (!challenge?.codeHash || challenge.expiresAt.getTime() <= now || !safeEqual(hmac("otp-code", `${challenge.id}:${code}`), challenge.codeHash)) {
      throw new Refusal(400, "invalid_code");
    }
    const refreshToken = `wrt_${randomBytes(32).toString("base64url")}`;
    const sessionId = newId();
    const signedIn = await signInWithChallenge({
      challengeId: challenge.id,
      maxAttempts: MAX_ATTEMPTS,
      identity: { type: "email", value },
      now: at,
      newUserId: newId(),
      newIdentityId: newId(),
      session: { id: sessionId, via: "code", clientId: null, ip, userAgent: null, expiresAt: new Date(now + 30 * DAY) },
      refreshToken: { id: newId(), tokenHash: hmac("token-hash", refreshToken), expiresAt: new Date(now + 30 * DAY) },
      audit: { id: newId(), type: "sign_in", subject: value, ip, userAgent: null, at, detail: (isNew) => JSON.stringify({ via: "code", new_user: isNew }) },
    });
    if (!signedIn) throw new Refusal(400, "invalid_code");
    // The bench signs in new identities only, as the portal's new-user path: the user view is built from the rows written.
    if (!signedIn.isNewUser) throw new Refusal(500, "floor_serves_new_users_only");
    const { userId } = signedIn;
    const iso = at.toISOString();
    return {
      access_token: accessToken(userId, sessionId, now),
      token_type: "Bearer",
      expires_in: 900,
      refresh_token: refreshToken,
      user: { id: userId, identities: [{ type: "email", value, verified_at: iso }], created_at: iso },
      is_new_user: true,
    };
  },
});
