import { afterAll, describe, expect, it } from "vitest";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { POST as token } from "@/app/v1/oauth/token/route";
import { POST as revoke } from "@/app/v1/oauth/revoke/route";
import { GET as userinfo } from "@/app/v1/oauth/userinfo/route";
import { GET as jwks } from "@/app/.well-known/jwks.json/route";
import { disconnectDb } from "@/lib/db/client";
import { kysely } from "@/lib/db/kysely";
import { hashCode } from "@/lib/otp/code";
import { startSignIn } from "@/lib/otp/start-sign-in";
import { signInWithCode } from "@/lib/otp/sign-in-with-code";
import { ApiError } from "@/lib/http/errors";
import { call, randomIp, uniqueEmail } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";
import { createLocalJWKSet, jwtVerify } from "jose";

type Tokens = { access_token: string; refresh_token: string; user: { id: string; identities: { type: string; value: string }[] }; is_new_user: boolean };

async function signInByEmail(email: string, ip = randomIp()) {
  const started = await call(sign, { body: { id: email }, ip });
  expect(started.status).toBe(200);
  const code = await latestCode(email.toLowerCase());
  return call<Tokens>(verify, { body: { id: email, code }, ip });
}

describe.skipIf(noDatabase)("signing in with a one-time code", () => {
  afterAll(disconnectDb);

  it("a code from the outbox signs a new user in and returns verifiable tokens", async () => {
    const email = uniqueEmail();
    const reply = await signInByEmail(email.toUpperCase());
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ token_type: "Bearer", expires_in: 900, is_new_user: true });
    expect(reply.body.user.identities).toEqual([expect.objectContaining({ type: "email", value: email })]);
    const keys = await call<{ keys: object[] }>(jwks);
    const { payload, protectedHeader } = await jwtVerify(reply.body.access_token, createLocalJWKSet(keys.body as never), { issuer: "http://localhost:3000" });
    expect(protectedHeader).toMatchObject({ alg: "ES256" });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({ sub: reply.body.user.id, aud: "werify-api" });
    expect(payload.sid && payload.jti && payload.iat && payload.exp).toBeTruthy();
    const later = new Date(Date.now() + 31_000);
    await startSignIn({ id: email, ip: randomIp(), now: later });
    const again = await signInWithCode({ id: email, code: await latestCode(email), ip: randomIp(), now: later });
    expect(again).toMatchObject({ is_new_user: false, user: { id: reply.body.user.id } });
  });

  it("sign answers the same for a new and a known identity, apart from the challenge id", async () => {
    const known = uniqueEmail("known");
    await signInByEmail(known);
    // past the known identity's resend cooldown
    const later = new Date(Date.now() + 31_000);
    const forKnown = await startSignIn({ id: known, ip: randomIp(), now: later });
    const forNew = await startSignIn({ id: uniqueEmail("new"), ip: randomIp(), now: later });
    const { challenge_id: a, ...knownRest } = forKnown;
    const { challenge_id: b, ...newRest } = forNew;
    expect(a).not.toBe(b);
    expect(knownRest).toEqual(newRest);
    const fresh = await call(sign, { body: { id: uniqueEmail("other") } });
    expect(Object.keys(fresh.body).sort()).toEqual(Object.keys(forKnown).sort());
  });

  it("wrong codes count down the attempts left, and after five even the right code is refused", async () => {
    const email = uniqueEmail();
    const ip = randomIp();
    await call(sign, { body: { id: email }, ip });
    const code = await latestCode(email);
    const wrong = code === "000000" ? "111111" : "000000";
    const left: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await call(verify, { body: { id: email, code: wrong }, ip });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe("invalid_code");
      left.push(reply.body.attempts_remaining);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const right = await call(verify, { body: { id: email, code }, ip });
    expect(right.status).toBe(429);
    expect(right.body.error).toBe("too_many_attempts");
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a new code can be asked for once the resend cooldown has passed, and it works", async () => {
    const email = uniqueEmail();
    const t0 = new Date();
    await startSignIn({ id: email, ip: randomIp(), now: t0 });
    const first = await latestCode(email);
    await expect(startSignIn({ id: email, ip: randomIp(), now: new Date(t0.getTime() + 10_000) })).rejects.toMatchObject({ code: "rate_limited" });
    await startSignIn({ id: email, ip: randomIp(), now: new Date(t0.getTime() + 31_000) });
    const second = await latestCode(email);
    const ip = randomIp();
    const now = new Date(t0.getTime() + 40_000);
    if (first !== second) {
      // the first code was replaced by the second
      await expect(signInWithCode({ id: email, code: first, ip, now })).rejects.toMatchObject({ code: "invalid_code" });
    }
    const tokens = await signInWithCode({ id: email, code: second, ip, now });
    expect(tokens.user.identities[0].value).toBe(email);
  });

  it("the cooldown answer carries Retry-After", async () => {
    const email = uniqueEmail();
    const ip = randomIp();
    expect((await call(sign, { body: { id: email }, ip })).status).toBe(200);
    const again = await call(sign, { body: { id: email }, ip });
    expect(again.status).toBe(429);
    expect(again.body.error).toBe("rate_limited");
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("an expired code is refused", async () => {
    const email = uniqueEmail();
    const t0 = new Date();
    await startSignIn({ id: email, ip: randomIp(), now: t0 });
    const code = await latestCode(email);
    const late = new Date(t0.getTime() + 301_000);
    await expect(signInWithCode({ id: email, code, ip: randomIp(), now: late })).rejects.toMatchObject({ code: "expired_code", status: 400 });
  });

  it("a code sent as an integer is left-padded", async () => {
    const email = uniqueEmail();
    const started = await call<{ challenge_id: string }>(sign, { body: { id: email } });
    // Give the challenge a code with leading zeros, as 1 in 10 codes have.
    await kysely().updateTable("challenges").set({ code_hash: hashCode(started.body.challenge_id, "004321") }).where("id", "=", started.body.challenge_id).execute();
    const reply = await call(verify, { body: { id: email, code: 4321 } });
    expect(reply.status).toBe(200);
  });

  it("of 20 concurrent verifications of one right code exactly one signs in", async () => {
    const email = uniqueEmail();
    await call(sign, { body: { id: email } });
    const code = await latestCode(email);
    const replies = await Promise.all(Array.from({ length: 20 }, () => call(verify, { body: { id: email, code } })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 400)).toBe(true);
  });

  it("a refresh token used twice ends the session: its access token is then refused", async () => {
    const signedIn = await signInByEmail(uniqueEmail());
    const rotated = await call<Tokens>(token, { body: { grant_type: "refresh_token", refresh_token: signedIn.body.refresh_token } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(signedIn.body.refresh_token);
    const me = await call(userinfo, { headers: { authorization: `Bearer ${rotated.body.access_token}` } });
    expect(me.status).toBe(200);
    const reused = await call(token, { body: { grant_type: "refresh_token", refresh_token: signedIn.body.refresh_token } });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe("invalid_grant");
    const after = await call(userinfo, { headers: { authorization: `Bearer ${rotated.body.access_token}` } });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe("invalid_token");
    const newest = await call(token, { body: { grant_type: "refresh_token", refresh_token: rotated.body.refresh_token } });
    expect(newest.status).toBe(400);
  });

  it("revoking a refresh token signs that session out and always answers 200", async () => {
    const signedIn = await signInByEmail(uniqueEmail());
    expect((await call(revoke, { body: { token: signedIn.body.refresh_token } })).status).toBe(200);
    expect((await call(userinfo, { headers: { authorization: `Bearer ${signedIn.body.access_token}` } })).status).toBe(401);
    expect((await call(revoke, { body: { token: "never-issued" } })).status).toBe(200);
  });

  it("too many failures lock the identity for the window", async () => {
    const email = uniqueEmail();
    const t0 = new Date();
    for (let i = 0; i < 20; i++) {
      await expect(signInWithCode({ id: email, code: "123456", ip: randomIp(), now: t0 })).rejects.toBeInstanceOf(ApiError);
    }
    await startSignIn({ id: email, ip: randomIp(), now: t0 });
    const code = await latestCode(email);
    await expect(signInWithCode({ id: email, code, ip: randomIp(), now: t0 })).rejects.toMatchObject({ code: "too_many_attempts" });
  });
});
