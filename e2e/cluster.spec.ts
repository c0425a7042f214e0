import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { decodeJwt } from "jose";
import pg from "pg";
import { createTestDatabase, dropTestDatabase, postgresAdminUrl } from "../tests/support/postgres";
import { latestCode } from "./support/outbox";
import { startPortal, type Portal } from "./support/portal";

// Two real portal processes on one PostgreSQL database (SPEC §9, issue 8).
test.describe.configure({ mode: "serial" });

let admin: string | null = null;
let databaseUrl = "";
let a: Portal;
let b: Portal;

type Json = Record<string, unknown> & { access_token?: string; refresh_token?: string; error?: string };

async function post(portal: Portal, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${portal.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Json };
}

async function get(portal: Portal, path: string, token: string) {
  const response = await fetch(`${portal.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return response.status;
}

const email = (label: string) => `${label}-${randomBytes(5).toString("hex")}@cluster.test`;

test.beforeAll(async () => {
  admin = await postgresAdminUrl();
  if (!admin) return;
  databaseUrl = await createTestDatabase(admin);
  // One public origin for both, as behind a load balancer: tokens name it as their issuer.
  const env = { DATABASE_URL: databaseUrl, PUBLIC_URL: "http://login.cluster.test", SIGN_PER_IP_PER_10_MIN: "100000", VERIFY_PER_IP_PER_10_MIN: "100000", LOG_LEVEL: "warn" };
  [a, b] = await Promise.all([startPortal(env), startPortal(env)]);
});

test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  if (admin && databaseUrl) await dropTestDatabase(admin, databaseUrl);
});

test.beforeEach(() => {
  test.skip(!admin, "this run left PostgreSQL out on purpose (TEST_POSTGRES=skip); without it an unreachable server fails the run");
});

test("a code requested on one instance verifies on the other", async () => {
  const id = email("ab");
  expect((await post(a, "/v1/oauth/sign", { id })).status).toBe(200);
  const code = await latestCode(databaseUrl, id);
  const verified = await post(b, "/v1/oauth/verify", { id, code });
  expect(verified.status).toBe(200);
  expect(await get(a, "/v1/oauth/userinfo", verified.body.access_token!)).toBe(200);
});

test("a refresh token rotated on one instance is refused as reused on the other, ending the session everywhere", async () => {
  const id = email("refresh");
  await post(a, "/v1/oauth/sign", { id });
  const signedIn = await post(a, "/v1/oauth/verify", { id, code: await latestCode(databaseUrl, id) });
  const rotated = await post(a, "/v1/oauth/token", { grant_type: "refresh_token", refresh_token: signedIn.body.refresh_token });
  expect(rotated.status).toBe(200);
  const reused = await post(b, "/v1/oauth/token", { grant_type: "refresh_token", refresh_token: signedIn.body.refresh_token });
  expect(reused.status).toBe(400);
  expect(reused.body.error).toBe("invalid_grant");
  expect(await get(a, "/v1/oauth/userinfo", rotated.body.access_token!)).toBe(401);
  expect(await get(b, "/v1/oauth/userinfo", rotated.body.access_token!)).toBe(401);
});

test("the per-identity limit counts requests spread over both instances", async () => {
  const id = email("limit");
  expect((await post(a, "/v1/oauth/sign", { id })).status).toBe(200);
  const second = await post(b, "/v1/oauth/sign", { id });
  expect(second.status).toBe(429);
  expect(second.body.error).toBe("rate_limited");
});

test("under steady sign-in load, kill -9 of one instance leaves the other serving and nothing duplicated", async () => {
  test.setTimeout(120_000);
  type Outcome = { instance: "a" | "b"; at: number; ok: boolean; id: string; code?: string; body?: Json };
  const outcomes: Outcome[] = [];
  let killedAt = 0;
  const stopAt = Date.now() + 9_000;

  async function worker(n: number) {
    let i = 0;
    while (Date.now() < stopAt) {
      const target = (n + i++) % 2 === 0 ? a : b;
      const instance = target === a ? "a" : "b";
      const id = email(`load${n}`);
      try {
        const sent = await post(target, "/v1/oauth/sign", { id });
        if (sent.status !== 200) throw new Error(`sign ${sent.status}`);
        const code = await latestCode(databaseUrl, id);
        const verified = await post(target, "/v1/oauth/verify", { id, code });
        outcomes.push({ instance, at: Date.now(), ok: verified.status === 200, id, code, body: verified.body });
      } catch {
        outcomes.push({ instance, at: Date.now(), ok: false, id });
      }
    }
  }

  const killer = (async () => {
    await new Promise((r) => setTimeout(r, 3_000));
    killedAt = Date.now();
    a.process.kill("SIGKILL");
  })();
  await Promise.all([killer, ...Array.from({ length: 6 }, (_, n) => worker(n))]);

  const beforeKill = outcomes.filter((o) => o.at < killedAt);
  const afterKill = outcomes.filter((o) => o.at >= killedAt);
  const served = outcomes.filter((o) => o.ok);
  const bAfter = afterKill.filter((o) => o.instance === "b");
  expect(beforeKill.filter((o) => o.ok).length).toBeGreaterThan(0);
  expect(beforeKill.filter((o) => !o.ok)).toEqual([]);
  expect(bAfter.filter((o) => o.ok).length, "B kept serving after A died").toBeGreaterThan(0);
  expect(bAfter.every((o) => o.ok), "every request to B succeeded").toBe(true);

  // No code verifies twice…
  const replays = await Promise.all(served.map((o) => post(b, "/v1/oauth/verify", { id: o.id, code: o.code })));
  expect(replays.filter((r) => r.status === 200)).toHaveLength(0);
  // …no refresh token works twice…
  const firstUse = await Promise.all(served.map((o) => post(b, "/v1/oauth/token", { grant_type: "refresh_token", refresh_token: o.body!.refresh_token })));
  expect(firstUse.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
  const secondUse = await Promise.all(served.map((o) => post(b, "/v1/oauth/token", { grant_type: "refresh_token", refresh_token: o.body!.refresh_token })));
  expect(secondUse.filter((r) => r.status === 200)).toHaveLength(0);
  // …and every session reported created exists.
  const sids = served.map((o) => String(decodeJwt(o.body!.access_token!).sid));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const found = await client.query("SELECT count(*)::int AS n FROM sessions WHERE id = ANY($1)", [sids]);
  await client.end();
  expect(found.rows[0].n).toBe(sids.length);

  const report = {
    sign_ins_before_kill: beforeKill.filter((o) => o.ok).length,
    failed_before_kill: beforeKill.filter((o) => !o.ok).length,
    a_requests_failed_after_kill: afterKill.filter((o) => o.instance === "a" && !o.ok).length,
    sign_ins_on_b_after_kill: bAfter.filter((o) => o.ok).length,
    replayed_codes_accepted: replays.filter((r) => r.status === 200).length,
    refresh_tokens_accepted_twice: secondUse.filter((r) => r.status === 200).length,
    sessions_reported: sids.length,
    sessions_found: found.rows[0].n,
  };
  writeFileSync("test-results/cluster-kill.json", JSON.stringify(report, null, 2));
  process.stdout.write(`kill -9 report: ${JSON.stringify(report)}\n`);
});
