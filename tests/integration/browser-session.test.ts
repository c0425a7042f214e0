import { decodeJwt, SignJWT } from "jose";
import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { GET as startQr, POST as pollQr } from "@/app/v1/oauth/qr/route";
import { GET as scanQr, POST as decideQr } from "@/app/v1/oauth/qr/authorize/route";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { issueBrowserHandoff, redeemBrowserHandoff } from "@/lib/auth/browser-handoff";
import { authOptions } from "@/lib/auth/next-auth";
import { config } from "@/lib/config";
import { secretFor } from "@/lib/config/secrets";
import { disconnectDb } from "@/lib/db/client";
import { browserPortalSession } from "@/lib/oidc/portal-session";
import { pollCookie } from "@/lib/qr/poll-cookie";
import { revokeSession } from "@/lib/sessions/revoke-session";
import { call, randomIp, uniqueEmail } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string; sid: string } | null>;

/** next-auth's "portal" sign-in (POST /api/auth/callback/portal) as next-auth calls it. */
function browserSignIn(credentials: Record<string, string>) {
  const provider = authOptions().providers[0] as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize(credentials, { headers: { "x-werify-client-ip": randomIp(), "user-agent": "vitest" } });
}

async function apiSignIn(): Promise<{ accessToken: string; userId: string; sessionId: string }> {
  const email = uniqueEmail("browser");
  const ip = randomIp();
  await call(sign, { body: { id: email }, ip });
  const reply = await call<{ access_token: string; user: { id: string } }>(verify, { body: { id: email, code: await latestCode(email) }, ip });
  const accessToken = reply.body.access_token;
  return { accessToken, userId: reply.body.user.id, sessionId: decodeJwt(accessToken).sid as string };
}

/** A whole QR sign-in: the screen shows a code, a signed-in phone approves, the screen's poll collects. */
async function qrApproval(): Promise<{ userId: string; body: Record<string, unknown> }> {
  const phone = await apiSignIn();
  const bearer = { authorization: `Bearer ${phone.accessToken}` };
  const screenIp = randomIp();
  const shown = await call<{ qr_token: string; poll_token: string }>(startQr, { ip: screenIp });
  await call(scanQr, { path: `/v1/oauth/qr/authorize?qr_token=${shown.body.qr_token}`, headers: bearer });
  await call(decideQr, { body: { qr_token: shown.body.qr_token }, headers: bearer });
  const collected = await call(pollQr, { body: shown.body, ip: screenIp });
  expect(collected.body).toMatchObject({ status: "approved" });
  return { userId: phone.userId, body: collected.body };
}

const httpsOrigin = "https://login.example.test";

/** Runs `work` as a portal whose PUBLIC_URL is https. */
async function overHttps<T>(work: () => Promise<T> | T): Promise<T> {
  const settings = config();
  const saved = { publicOrigin: settings.publicOrigin, publicHost: settings.publicHost, PUBLIC_URL: settings.PUBLIC_URL };
  Object.assign(settings, { publicOrigin: httpsOrigin, publicHost: "login.example.test", PUBLIC_URL: httpsOrigin });
  try {
    return await work();
  } finally {
    Object.assign(settings, saved);
  }
}

describe.skipIf(noDatabase)("the browser session", () => {
  afterAll(async () => {
    await disconnectDb();
  });

  it("an API access token posted to the browser sign-in opens no session, under either name", async () => {
    const { accessToken } = await apiSignIn();
    expect(await browserSignIn({ access_token: accessToken })).toBeNull();
    expect(await browserSignIn({ handoff: accessToken })).toBeNull();
  });

  it("a QR approval's handoff opens the browser session once; a replay is refused", async () => {
    const { userId, body } = await qrApproval();
    expect(body.handoff).toEqual(expect.any(String));
    const claims = decodeJwt(body.handoff as string);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(60);
    const qrSession = decodeJwt(body.access_token as string).sid;
    expect(await browserSignIn({ handoff: body.handoff as string })).toEqual({ id: userId, sid: qrSession });
    expect(await browserSignIn({ handoff: body.handoff as string })).toBeNull();
    // The QR answer's API token is no way in either.
    expect(await browserSignIn({ access_token: body.access_token as string })).toBeNull();
  });

  it("of many instances redeeming one handoff at the same moment, exactly one succeeds", async () => {
    const { userId, sessionId } = await apiSignIn();
    const handoff = await issueBrowserHandoff({ userId, sessionId });
    const results = await Promise.all(Array.from({ length: 8 }, () => redeemBrowserHandoff(handoff)));
    expect(results.filter(Boolean)).toEqual([{ userId, sessionId }]);
  });

  it("a handoff over a minute old, of an ended session, or not made by the portal opens nothing", async () => {
    const { userId, sessionId } = await apiSignIn();
    const stale = await issueBrowserHandoff({ userId, sessionId, now: new Date(Date.now() - 61_000) });
    expect(await redeemBrowserHandoff(stale)).toBeNull();

    const forged = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: "HS256", typ: "handoff+jwt" })
      .setIssuer(config().publicOrigin)
      .setAudience("werify-browser-handoff")
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime("30s")
      .setJti("forged")
      .sign(secretFor("nextauth"));
    expect(await redeemBrowserHandoff(forged)).toBeNull();

    const longLived = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: "HS256", typ: "handoff+jwt" })
      .setIssuer(config().publicOrigin)
      .setAudience("werify-browser-handoff")
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime("1h")
      .setJti("long-lived")
      .sign(secretFor("browser-handoff"));
    expect(await redeemBrowserHandoff(longLived)).toBeNull();

    const handoff = await issueBrowserHandoff({ userId, sessionId });
    await revokeSession({ sessionId, userId, reason: "signed_out" });
    expect(await redeemBrowserHandoff(handoff)).toBeNull();
  });

  it("over https every browser cookie is Secure and __Host- named, and next-auth takes its URL from PUBLIC_URL", async () => {
    await overHttps(() => {
      const options = authOptions();
      expect(process.env.NEXTAUTH_URL).toBe(`${httpsOrigin}/api/auth`);
      expect(options.useSecureCookies).toBe(true);
      expect(options.cookies?.sessionToken).toEqual({ name: "__Host-next-auth.session-token", options: { httpOnly: true, sameSite: "lax", path: "/", secure: true } });
      expect(options.cookies?.csrfToken).toMatchObject({ name: "__Host-next-auth.csrf-token", options: { secure: true, path: "/" } });
      expect(options.cookies?.callbackUrl).toMatchObject({ name: "__Host-next-auth.callback-url", options: { secure: true, path: "/" } });
      expect(pollCookie("wrfx", "wqp_x")).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    });
    const plain = authOptions();
    expect(process.env.NEXTAUTH_URL).toBe("http://localhost:3000/api/auth");
    expect(plain.cookies?.sessionToken).toMatchObject({ name: "next-auth.session-token", options: { secure: false } });
    expect(pollCookie("wrfx", "wqp_x")).not.toContain("Secure");
  });

  it("over https the OpenID Connect side reads the session only from the __Host- cookie", async () => {
    const { userId, sessionId } = await apiSignIn();
    const token = await encode({ token: { sub: userId, sid: sessionId }, secret: secretFor("nextauth").toString("base64url") });
    await overHttps(async () => {
      expect(await browserPortalSession(`__Host-next-auth.session-token=${token}`)).toMatchObject({ userId, sessionId });
      // An unprefixed cookie over https may have been planted by another host.
      expect(await browserPortalSession(`next-auth.session-token=${token}`)).toBeNull();
    });
    expect(await browserPortalSession(`next-auth.session-token=${token}`)).toMatchObject({ userId, sessionId });
  });
});
