import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { POST as token } from "@/app/v1/oauth/token/route";
import { POST as revoke } from "@/app/v1/oauth/revoke/route";
import { GET as userinfo } from "@/app/v1/oauth/userinfo/route";
import { GET as startQr, POST as pollQr } from "@/app/v1/oauth/qr/route";
import { GET as scanQr, POST as decideQr } from "@/app/v1/oauth/qr/authorize/route";
import { disconnectDb } from "@/lib/db/client";
import { ERROR_STATUS } from "@/lib/http/errors";
import { openApiDocument } from "@/lib/openapi/build-document";
import { checkResponse } from "@/lib/openapi/check-response";
import type { HttpMethod } from "@/lib/openapi/types";
import { signingKeys } from "@/lib/tokens/keys";
import { call, uniqueEmail } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

type Handler = Parameters<typeof call>[0];
type Target = { method: HttpMethod; path: string; handler: Handler; fields: Record<string, fc.Arbitrary<unknown>> };

const RUNS = 150;
const doc = openApiDocument({ serverUrl: "http://localhost:3000", appName: "Werify" });

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Anything a field could be sent as: the right type with odd content, the wrong type, or far too much. */
const fieldValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 2_000, maxLength: 20_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 12345, "012345", "", " ", "sms", "voice", "refresh_token", "approve", "deny", 26) },
  { weight: 1, arbitrary: fc.constantFrom("hi@trader4.net", "+447911123456", "+442079460123", "0x52908400098527886E0F7030069857D2E4169EE7", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "wrf0000000000000000000000") },
);

const identity = fc.oneof(
  fc.emailAddress(),
  fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/),
  fc.constantFrom("hi@trader4.net", "+447911123456", "07911 123456", "+442079460123", "+14155550123", "0x52908400098527886E0F7030069857D2E4169EE7", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
);
const code = fc.oneof(fc.stringMatching(/^[0-9]{6}$/), fc.integer({ min: -1, max: 10_000_000 }), fc.double(), fc.string({ maxLength: 40 }));
/** A live QR code and its poll token, made before the runs. */
const live = { qrToken: "none", pollToken: "none" };
const liveQr = fc.constant(null).map(() => live.qrToken);
const livePoll = fc.constant(null).map(() => live.pollToken);
const secret = fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^(wrt_|wqp_|wrf)[A-Za-z0-9_-]{0,60}$/), fc.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/));

/** An object with the endpoint's own fields: mostly plausible values, sometimes anything at all, plus keys nobody asked for. */
function objectWith(fields: Record<string, fc.Arbitrary<unknown>>) {
  const shaped = Object.fromEntries(Object.entries(fields).map(([key, plausible]) => [key, fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: fieldValue })]));
  return fc.tuple(fc.record(shaped, { requiredKeys: [] }), fc.dictionary(fc.constantFrom("__proto__", "constructor", "extra", "toString"), fieldValue)).map(([own, odd]) => ({ ...odd, ...own }));
}

const deepJson = fc.integer({ min: 50, max: 5_000 }).chain((depth) =>
  fc.constantFrom(`${"[".repeat(depth)}${"]".repeat(depth)}`, `${'{"id":'.repeat(depth)}1${"}".repeat(depth)}`),
);
const notJson = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom("", " ", "null", "[]", "{", "}", "true", '"id"', '{"id":}', "{'id':'x'}", "id=hi%40trader4.net", "\u0000", "\ufeff{}"),
);

/** A request body as raw text: random JSON, an object of the right keys with wrong values, deep nesting, or not JSON at all. */
function body(fields: Record<string, fc.Arbitrary<unknown>>) {
  return fc.oneof(
    { weight: 3, arbitrary: objectWith(fields).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepJson },
    { weight: 2, arbitrary: notJson },
    { weight: 1, arbitrary: fc.string({ minLength: 16_000, maxLength: 40_000 }).map((s) => JSON.stringify({ [Object.keys(fields)[0]]: s })) },
  );
}

function authorization(realKid: string) {
  return fc.oneof(
    printable,
    printable.map((s) => `Bearer ${s}`),
    fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), printable).map(([h, p, s]) => `Bearer ${b64url(h)}.${b64url(p)}.${Buffer.from(s).toString("base64url")}`),
    fc.tuple(fc.constantFrom("none", "HS256", "ES256", "RS256"), fc.string({ maxLength: 30 })).map(
      ([alg, sub]) => `Bearer ${b64url({ alg, kid: realKid, typ: "at+jwt" })}.${b64url({ sub, sid: sub, aud: "werify-api", iss: "http://localhost:3000", exp: 4e9 })}.`,
    ),
  );
}

/** Never a 500; every refusal is the envelope, with its code's status, documented for this endpoint; 429s say when to retry. */
function expectHonest(target: Target, reply: { status: number; body: Record<string, unknown>; headers: Headers }) {
  const where = `${target.method.toUpperCase()} ${target.path} → ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`;
  expect(reply.status, where).not.toBe(500);
  if (reply.status >= 400) {
    expect(Object.keys(ERROR_STATUS), where).toContain(reply.body.error);
    expect(ERROR_STATUS[reply.body.error as keyof typeof ERROR_STATUS], where).toBe(reply.status);
    expect(typeof reply.body.error_description === "string" && reply.body.error_description.length > 0, where).toBe(true);
    if (reply.status === 429) expect(Number(reply.headers.get("retry-after")), where).toBeGreaterThan(0);
  }
  expect(checkResponse(doc, { method: target.method, path: target.path, status: reply.status, body: reply.body }), where).toEqual([]);
}

describe.skipIf(noDatabase)("random input never breaks the API", () => {
  const targets: Target[] = [
    { method: "post", path: "/v1/oauth/sign", handler: sign, fields: { id: identity, channel: fc.constantFrom("sms", "voice", "email", "wallet") } },
    { method: "post", path: "/v1/oauth/verify", handler: verify, fields: { id: identity, code, signature: secret } },
    { method: "post", path: "/v1/oauth/token", handler: token, fields: { grant_type: fc.constantFrom("refresh_token", "authorization_code", ""), refresh_token: secret } },
    { method: "post", path: "/v1/oauth/revoke", handler: revoke, fields: { token: secret, token_type_hint: fc.constantFrom("refresh_token", "access_token") } },
    // no positive `wait`: a long poll of the live QR would hold the request that long
    { method: "post", path: "/v1/oauth/qr", handler: pollQr, fields: { qr_token: fc.oneof(liveQr, secret), poll_token: fc.oneof(livePoll, secret), wait: fc.constantFrom(0, 0, 0, -1, 26, 0.5, "0") } },
    { method: "post", path: "/v1/oauth/qr/authorize", handler: decideQr, fields: { qr_token: fc.oneof(liveQr, secret), decision: fc.constantFrom("approve", "deny", "maybe") } },
  ];
  let realKid = "unknown";
  let realAccessToken = "";

  beforeAll(async () => {
    realKid = (await signingKeys())[0].kid;
    const email = uniqueEmail("fuzz");
    await call(sign, { body: { id: email } });
    const signedIn = await call<{ access_token: string }>(verify, { body: { id: email, code: await latestCode(email) } });
    realAccessToken = signedIn.body.access_token;
    const qr = await call<{ qr_token: string; poll_token: string }>(startQr);
    live.qrToken = qr.body.qr_token;
    live.pollToken = qr.body.poll_token;
  });
  afterAll(disconnectDb);

  it.each(targets.map((t) => [t.path, t] as const))(
    "POST %s answers random bodies with a documented status and the error envelope",
    async (path, target) => {
      const headers = fc.constantFrom<Record<string, string>>({ "content-type": "application/json" }, { "content-type": "text/plain" }, {});
      await fc.assert(
        fc.asyncProperty(body(target.fields), headers, async (raw, extra) => {
          const reply = await call(target.handler, { method: "POST", path, raw, headers: { ...extra, authorization: `Bearer ${realAccessToken}` } });
          expectHonest(target, reply);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it("GET /v1/oauth/userinfo refuses random Authorization headers with 401 invalid_token", async () => {
    const target: Target = { method: "get", path: "/v1/oauth/userinfo", handler: userinfo, fields: {} };
    await fc.assert(
      fc.asyncProperty(authorization(realKid), async (header) => {
        const reply = await call(userinfo, { path: target.path, headers: { authorization: header } });
        expectHonest(target, reply);
        expect(reply.status).toBe(401);
        expect(reply.body.error).toBe("invalid_token");
      }),
      { numRuns: RUNS },
    );
  });

  it("GET /v1/oauth/qr/authorize answers random tokens and headers as documented", async () => {
    const target: Target = { method: "get", path: "/v1/oauth/qr/authorize", handler: scanQr, fields: {} };
    await fc.assert(
      fc.asyncProperty(fc.option(fc.oneof(liveQr, fc.string({ unit: "binary", maxLength: 300 }))), fc.oneof(authorization(realKid), fc.constant(`Bearer ${realAccessToken}`)), async (qrToken, header) => {
        const query = qrToken === null ? "" : `?qr_token=${encodeURIComponent(qrToken)}`;
        const reply = await call(target.handler, { path: `${target.path}${query}`, headers: { authorization: header } });
        expectHonest(target, reply);
      }),
      { numRuns: RUNS },
    );
  });
});
