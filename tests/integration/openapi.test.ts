import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { GET as openapi } from "@/app/v1/openapi.json/route";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { POST as token } from "@/app/v1/oauth/token/route";
import { POST as revoke } from "@/app/v1/oauth/revoke/route";
import { GET as userinfo } from "@/app/v1/oauth/userinfo/route";
import { GET as jwks } from "@/app/.well-known/jwks.json/route";
import { GET as discovery } from "@/app/.well-known/openid-configuration/route";
import { GET as startQr, POST as pollQr } from "@/app/v1/oauth/qr/route";
import { GET as scanQr, POST as decideQr } from "@/app/v1/oauth/qr/authorize/route";
import { GET as healthz } from "@/app/healthz/route";
import { GET as readyz } from "@/app/readyz/route";
import { disconnectDb } from "@/lib/db/client";
import { ERROR_STATUS } from "@/lib/http/errors";
import { openApiDocument } from "@/lib/openapi/build-document";
import { checkResponse } from "@/lib/openapi/check-response";
import * as schemas from "@/lib/openapi/responses";
import type { HttpMethod, JsonSchema, OpenApiDocument } from "@/lib/openapi/types";
import { call, callNext, randomIp, uniqueEmail, type Reply } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

const root = join(__dirname, "../..");
const doc = openApiDocument({ serverUrl: "http://localhost:3000", appName: "Werify" });

/** Every route.ts under the API folders, as the URL path it serves and the methods it exports. */
function apiRoutes(): { path: string; methods: HttpMethod[] }[] {
  const found: { path: string; methods: HttpMethod[] }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.tsx?$/.test(entry.name)) {
        const segments = relative(join(root, "app"), dir).split(sep);
        // a catch-all like app/v1/[...path] is the JSON 404, not an endpoint
        if (segments.some((s) => s.startsWith("["))) continue;
        const source = readFileSync(full, "utf8");
        const methods = [...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1].toLowerCase() as HttpMethod);
        found.push({ path: `/${segments.filter((s) => !s.startsWith("(")).join("/")}`, methods });
      }
    }
  };
  for (const top of ["v1", ".well-known", "healthz", "readyz"]) if (existsSync(join(root, "app", top))) walk(join(root, "app", top));
  return found;
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function operations(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method: method as HttpMethod, op: op! })));
}

/** A real answer must match both the zod schema (nothing stripped) and the published JSON Schema. */
function expectDescribed(method: HttpMethod, path: string, reply: Reply<unknown>, schema?: z.ZodType) {
  expect(checkResponse(doc, { method, path, status: reply.status, body: reply.body }), `${method} ${path} ${reply.status}`).toEqual([]);
  if (schema) expect(schema.parse(reply.body)).toEqual(reply.body);
}

describe("the API description", () => {
  it("is an OpenAPI 3.1 document with paths, components and a bearer scheme", async () => {
    const reply = await call<OpenApiDocument>(openapi, { path: "/v1/openapi.json" });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toContain("application/json");
    expect(reply.body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers[0].url).toBe("http://localhost:3000");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const ids = operations(doc).map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of refs(doc)) expect(doc.components.schemas[ref.replace("#/components/schemas/", "")], ref).toBeDefined();
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      expect(schema, name).not.toHaveProperty("$schema");
      expect(schema, name).not.toHaveProperty("$defs");
    }
  });

  it("lists every route of /v1 and /.well-known with the methods it answers, and nothing that does not exist", () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(5);
    for (const { path, methods } of routes) {
      expect(doc.paths[path], `${path} has a route but no description`).toBeDefined();
      expect(Object.keys(doc.paths[path]).sort(), path).toEqual([...methods].sort());
    }
    const served = new Set(routes.map((r) => r.path));
    for (const path of Object.keys(doc.paths)) expect(served.has(path), `${path} is described but has no route`).toBe(true);
  });

  it("gives every operation a summary, a success example and errors in the envelope with their statuses", () => {
    for (const { path, method, op } of operations(doc)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.summary && op.description, where).toBeTruthy();
      const success = Object.entries(op.responses).find(([status]) => status.startsWith("2"));
      expect(success?.[1].content?.["application/json"]?.example, where).toBeDefined();
      if (op.requestBody) expect(op.requestBody.content["application/json"].example, where).toBeDefined();
      for (const [status, response] of Object.entries(op.responses)) {
        const schema = response.content?.["application/json"]?.schema as JsonSchema;
        if (schema.$ref !== "#/components/schemas/Error") continue;
        const codes = (schema.properties?.error?.enum ?? []) as (keyof typeof ERROR_STATUS)[];
        expect(codes.length, where).toBeGreaterThan(0);
        for (const code of codes) expect(ERROR_STATUS[code], `${where} ${code}`).toBe(Number(status));
        if (status === "429") expect(response.headers?.["Retry-After"], where).toBeDefined();
      }
      if (op.security) expect(op.responses["401"], `${where} takes a bearer token but documents no 401`).toBeDefined();
      if (op.requestBody) expect(op.responses["413"], where).toBeDefined();
    }
  });
});

describe.skipIf(noDatabase)("real answers match the API description", () => {
  afterAll(disconnectDb);

  it("a whole email sign-in, refresh, userinfo and revoke answer as described", async () => {
    const email = uniqueEmail("openapi");
    const ip = randomIp();
    const started = await call(sign, { body: { id: email }, ip });
    expect(started.status).toBe(200);
    expectDescribed("post", "/v1/oauth/sign", started, schemas.codeSent);

    const wrong = await call(verify, { body: { id: email, code: "not-it" }, ip });
    expect(wrong.body).toMatchObject({ error: "invalid_code" });
    expectDescribed("post", "/v1/oauth/verify", wrong);

    const code = await latestCode(email);
    const signedIn = await call<{ access_token: string; refresh_token: string }>(verify, { body: { id: email, code: Number(code) }, ip });
    expect(signedIn.status).toBe(200);
    expectDescribed("post", "/v1/oauth/verify", signedIn, schemas.tokenResponse);

    const refreshed = await call<{ access_token: string; refresh_token: string }>(token, { body: { grant_type: "refresh_token", refresh_token: signedIn.body.refresh_token } });
    expect(refreshed.status).toBe(200);
    expectDescribed("post", "/v1/oauth/token", refreshed, schemas.tokenResponse);

    const me = await call(userinfo, { headers: { authorization: `Bearer ${refreshed.body.access_token}` } });
    expect(me.status).toBe(200);
    expectDescribed("get", "/v1/oauth/userinfo", me, schemas.userView);

    const revoked = await call(revoke, { body: { token: refreshed.body.refresh_token } });
    expect(revoked.status).toBe(200);
    expectDescribed("post", "/v1/oauth/revoke", revoked, schemas.revokeResponse);

    const refused = await call(userinfo, { headers: { authorization: `Bearer ${refreshed.body.access_token}` } });
    expect(refused.status).toBe(401);
    expectDescribed("get", "/v1/oauth/userinfo", refused);

    const reused = await call(token, { body: { grant_type: "refresh_token", refresh_token: signedIn.body.refresh_token } });
    expect(reused.status).toBe(400);
    expectDescribed("post", "/v1/oauth/token", reused);
  });

  it("a wallet address gets the message to sign, as described", async () => {
    const address = `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString("hex")}`;
    const started = await call(sign, { body: { id: address } });
    expect(started.status).toBe(200);
    expectDescribed("post", "/v1/oauth/sign", started, schemas.walletChallenge);
  });

  it("refusals of sign answer with documented codes", async () => {
    const ip = randomIp();
    for (const body of [{ id: "not an identity" }, { nope: 1 }, { id: "+442079460123", channel: "sms" }]) {
      const reply = await call(sign, { body, ip });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expectDescribed("post", "/v1/oauth/sign", reply);
    }
    const email = uniqueEmail();
    await call(sign, { body: { id: email }, ip });
    const cooldown = await call(sign, { body: { id: email }, ip });
    expect(cooldown.status).toBe(429);
    expectDescribed("post", "/v1/oauth/sign", cooldown);
  });

  it("a whole QR sign-in answers as described at every step", async () => {
    const email = uniqueEmail("openapi-qr");
    await call(sign, { body: { id: email } });
    const phone = await call<{ access_token: string }>(verify, { body: { id: email, code: await latestCode(email) } });
    const bearer = { authorization: `Bearer ${phone.body.access_token}` };
    const screenIp = randomIp();

    const shown = await call<{ qr_token: string; poll_token: string }>(startQr, { path: "/v1/oauth/qr", ip: screenIp });
    expectDescribed("get", "/v1/oauth/qr", shown, schemas.qrStarted);
    const poll = { qr_token: shown.body.qr_token, poll_token: shown.body.poll_token };

    const waiting = await call(pollQr, { body: poll, ip: screenIp });
    expect(waiting.body).toMatchObject({ status: "pending" });
    expectDescribed("post", "/v1/oauth/qr", waiting, schemas.qrWaiting);
    const tooFast = await call(pollQr, { body: poll, ip: screenIp });
    expect(tooFast.status).toBe(429);
    expectDescribed("post", "/v1/oauth/qr", tooFast);

    const scanned = await call(scanQr, { path: `/v1/oauth/qr/authorize?qr_token=${shown.body.qr_token}`, headers: bearer });
    expect(scanned.status).toBe(200);
    expectDescribed("get", "/v1/oauth/qr/authorize", scanned, schemas.qrRequester);

    const approved = await call(decideQr, { body: { qr_token: shown.body.qr_token }, headers: bearer });
    expect(approved.body).toEqual({ status: "approved" });
    expectDescribed("post", "/v1/oauth/qr/authorize", approved, schemas.qrDecided);

    const collected = await call(pollQr, { body: poll, ip: screenIp });
    expect(collected.body).toMatchObject({ status: "approved" });
    expectDescribed("post", "/v1/oauth/qr", collected, schemas.qrApproved);
    const again = await call(pollQr, { body: poll, ip: screenIp });
    expect(again.body).toMatchObject({ error: "qr_consumed" });
    expectDescribed("post", "/v1/oauth/qr", again);

    const late = await call(decideQr, { body: { qr_token: shown.body.qr_token, decision: "deny" }, headers: bearer });
    expect(late.status).toBe(409);
    expectDescribed("post", "/v1/oauth/qr/authorize", late);
    const unknown = await call(scanQr, { path: "/v1/oauth/qr/authorize?qr_token=wrfnothing", headers: bearer });
    expect(unknown.status).toBe(404);
    expectDescribed("get", "/v1/oauth/qr/authorize", unknown);
  });

  it("keys, discovery, health and readiness answer as described", async () => {
    const metadata = await callNext(discovery, { path: "/.well-known/openid-configuration" });
    expect(metadata.status).toBe(200);
    expectDescribed("get", "/.well-known/openid-configuration", metadata, schemas.oidcDiscovery);
    const keys = await call(jwks);
    expectDescribed("get", "/.well-known/jwks.json", keys, schemas.jwks);
    expect((keys.body as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    expectDescribed("get", "/healthz", await call(healthz as never), schemas.health);
    expectDescribed("get", "/readyz", await call(readyz), schemas.readiness);
  });
});
