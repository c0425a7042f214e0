import { randomUUID } from "node:crypto";
import { SignJWT, decodeJwt } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { GET as userinfo } from "@/app/v1/oauth/userinfo/route";
import { config } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { ACCESS_AUDIENCE } from "@/lib/tokens/access-token";
import { signingKeys } from "@/lib/tokens/keys";
import { call, randomIp, uniqueEmail } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

type Refusal = { error: string; error_description: string };

/** A live session, signed in the ordinary way: whatever is refused below is refused for the token alone. */
async function liveSession(): Promise<{ sub: string; sid: string }> {
  const email = uniqueEmail("token");
  const ip = randomIp();
  expect((await call(sign, { body: { id: email }, ip })).status).toBe(200);
  const reply = await call<{ access_token: string }>(verify, { body: { id: email, code: await latestCode(email) }, ip });
  expect(reply.status).toBe(200);
  const { sub, sid } = decodeJwt(reply.body.access_token);
  return { sub: sub!, sid: String(sid) };
}

/** A token signed with the portal's own current key — what someone holding a signing oracle or a leaked key row could mint. */
async function mint(session: { sub: string; sid: string }, times: { iat?: number; exp?: number }): Promise<string> {
  const [key] = await signingKeys();
  const jwt = new SignJWT({ sid: session.sid })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt" })
    .setIssuer(config().publicOrigin)
    .setSubject(session.sub)
    .setAudience(ACCESS_AUDIENCE)
    .setJti(randomUUID());
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
  return jwt.sign(key.privateKey);
}

function askWhoAmI(token: string) {
  return call<Refusal & { id: string }>(userinfo, { headers: { authorization: `Bearer ${token}` } });
}

function expectRefused(reply: { status: number; body: Refusal }) {
  expect(reply.status).toBe(401);
  expect(reply.body.error).toBe("invalid_token");
}

const now = () => Math.floor(Date.now() / 1000);
const TEN_YEARS = 10 * 365 * 86_400;

describe.skipIf(noDatabase)("access tokens the portal's key signed but never issued", () => {
  afterAll(disconnectDb);

  it("a token shaped like the portal's own, with its lifetime, is accepted (the forgeries below differ only in time claims)", async () => {
    const session = await liveSession();
    const reply = await askWhoAmI(await mint(session, { iat: now(), exp: now() + config().ACCESS_TOKEN_TTL_SECONDS }));
    expect(reply.status).toBe(200);
    expect(reply.body.id).toBe(session.sub);
  });

  it("a token without an expiry is refused by userinfo", async () => {
    expectRefused(await askWhoAmI(await mint(await liveSession(), { iat: now() })));
  });

  it("a token valid for ten years is refused by userinfo", async () => {
    expectRefused(await askWhoAmI(await mint(await liveSession(), { iat: now(), exp: now() + TEN_YEARS })));
  });

  it("a token one second longer-lived than ACCESS_TOKEN_TTL_SECONDS is refused", async () => {
    expectRefused(await askWhoAmI(await mint(await liveSession(), { iat: now(), exp: now() + config().ACCESS_TOKEN_TTL_SECONDS + 1 })));
  });

  it("a token without an issue time is refused, even with a short expiry", async () => {
    expectRefused(await askWhoAmI(await mint(await liveSession(), { exp: now() + 60 })));
  });

  it("a token issued ten years ago that expires in a minute is refused", async () => {
    expectRefused(await askWhoAmI(await mint(await liveSession(), { iat: now() - TEN_YEARS, exp: now() + 60 })));
  });

  it("a token issued in the future, beyond clock skew, is refused", async () => {
    const iat = now() + 3600;
    expectRefused(await askWhoAmI(await mint(await liveSession(), { iat, exp: iat + 60 })));
  });
});
