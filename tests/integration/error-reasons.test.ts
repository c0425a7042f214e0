import { afterAll, describe, expect, it } from "vitest";
import { GET as signWithGet, POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { DELETE as deleteUserinfo } from "@/app/v1/oauth/userinfo/route";
import { disconnectDb } from "@/lib/db/client";
import { openApiDocument } from "@/lib/openapi/build-document";
import { checkResponse } from "@/lib/openapi/check-response";
import { signInWithCode } from "@/lib/otp/sign-in-with-code";
import { call, randomIp, uniqueEmail } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

const doc = openApiDocument({ serverUrl: "http://localhost:3000", appName: "Werify" });

// What the login page branches on is `reason`, so each answer that has one is checked against the published description too.
describe.skipIf(noDatabase)("errors a caller can act on say which cause it was", () => {
  afterAll(disconnectDb);

  it("asking for a second code within the cooldown answers reason resend_cooldown", async () => {
    const email = uniqueEmail("cooldown");
    const ip = randomIp();
    expect((await call(sign, { body: { id: email }, ip })).status).toBe(200);
    const again = await call(sign, { body: { id: email }, ip });
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ error: "rate_limited", reason: "resend_cooldown" });
    expect(checkResponse(doc, { method: "post", path: "/v1/oauth/sign", status: again.status, body: again.body })).toEqual([]);
  });

  it("an id that is no kind of identity answers reason unrecognised_identity", async () => {
    const reply = await call(sign, { body: { id: "not an identity" } });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: "invalid_identity", reason: "unrecognised_identity" });
  });

  it("the right code after five wrong ones answers reason code_dead", async () => {
    const email = uniqueEmail("dead");
    const ip = randomIp();
    await call(sign, { body: { id: email }, ip });
    const code = await latestCode(email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) await call(verify, { body: { id: email, code: wrong }, ip });
    const right = await call(verify, { body: { id: email, code }, ip });
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ error: "too_many_attempts", reason: "code_dead" });
    expect(checkResponse(doc, { method: "post", path: "/v1/oauth/verify", status: right.status, body: right.body })).toEqual([]);
  });

  it("an identity locked by failures answers reason identity_locked", async () => {
    const email = uniqueEmail("locked");
    const t0 = new Date();
    for (let i = 0; i < 20; i++) await signInWithCode({ id: email, code: "123456", ip: randomIp(), now: t0 }).catch(() => undefined);
    await expect(signInWithCode({ id: email, code: "123456", ip: randomIp(), now: t0 })).rejects.toMatchObject({
      code: "too_many_attempts",
      extra: { reason: "identity_locked" },
    });
  });

  it("a method an API path does not take answers 405 method_not_allowed with Allow, in the envelope", async () => {
    const get = await call(signWithGet, { method: "GET", path: "/v1/oauth/sign" });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(get.body).toEqual({ error: "method_not_allowed", error_description: "This endpoint accepts POST only." });
    expect(checkResponse(doc, { method: "post", path: "/v1/oauth/sign", status: get.status, body: get.body })).toEqual([]);
    const del = await call(deleteUserinfo, { method: "DELETE", path: "/v1/oauth/userinfo" });
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("GET");
  });
});
