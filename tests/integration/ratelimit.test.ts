import { randomBytes } from "node:crypto";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { config } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { hit, hitMany } from "@/lib/ratelimit/hit";
import { call } from "../support/api";
import { noDatabase } from "../support/skip";

/** A fresh IPv6 /64 per test (documentation range), written as its prefix. */
function randomSlash64(): string {
  const [a, b] = [randomBytes(2).toString("hex"), randomBytes(2).toString("hex")];
  return `2001:db8:${a}:${b}`;
}

/** A wallet sign request: no code is sent, so only the per-IP limit applies. */
function askToSignFrom(ip: string) {
  return call(sign, { body: { id: privateKeyToAccount(generatePrivateKey()).address }, ip });
}

describe.skipIf(noDatabase)("shared rate limits", () => {
  afterAll(disconnectDb);

  it("50 requests counted at once are 50, and only the first 10 are let through", async () => {
    const key = `test:${randomBytes(6).toString("hex")}`;
    const results = await Promise.all(Array.from({ length: 50 }, () => hit(key, 10, 60_000)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it("a window that has passed starts counting again, and Retry-After says when it resets", async () => {
    const key = `test:${randomBytes(6).toString("hex")}`;
    const t0 = Date.now();
    await hit(key, 1, 30_000, t0);
    const blocked = await hit(key, 1, 30_000, t0 + 10_000);
    expect(blocked).toMatchObject({ allowed: false, count: 2, retryAfter: 20 });
    expect(await hit(key, 1, 30_000, t0 + 30_000)).toMatchObject({ allowed: true, count: 1 });
  });

  it("several limits are counted in one statement, each with its own window", async () => {
    const tag = randomBytes(6).toString("hex");
    const t0 = Date.now();
    const [a, b] = await hitMany([{ key: `a:${tag}`, limit: 1, windowMs: 1_000 }, { key: `b:${tag}`, limit: 5, windowMs: 60_000 }], t0);
    expect(a).toMatchObject({ allowed: true, count: 1, retryAfter: 1 });
    expect(b).toMatchObject({ allowed: true, count: 1, retryAfter: 60 });
    const [a2, b2] = await hitMany([{ key: `a:${tag}`, limit: 1, windowMs: 1_000 }, { key: `b:${tag}`, limit: 5, windowMs: 60_000 }], t0 + 2_000);
    expect(a2.count).toBe(1);
    expect(b2.count).toBe(2);
  });

  it("one IPv6 /64 shares one sign limit, whichever of its addresses asks, and the next /64 has its own", async () => {
    const net = randomSlash64();
    const limit = config().SIGN_PER_IP_PER_10_MIN;
    for (let i = 1; i <= limit; i++) {
      // a client rotating through its /64, one fresh address per request
      const reply = await askToSignFrom(`${net}:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::${i.toString(16)}`);
      expect(reply.status).toBe(200);
    }
    const refused = await askToSignFrom(`${net}:ffff:ffff:ffff:fffe`);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await askToSignFrom(`${randomSlash64()}::1`)).status).toBe(200);
  });

  it("an IPv4 client seen as an IPv4-mapped IPv6 address shares the limit of its IPv4 address", async () => {
    const b = randomBytes(3);
    const ipv4 = `10.${b[0]}.${b[1]}.${b[2]}`;
    const limit = config().SIGN_PER_IP_PER_10_MIN;
    for (let i = 0; i < limit; i++) expect((await askToSignFrom(i % 2 ? ipv4 : `::ffff:${ipv4}`)).status).toBe(200);
    expect((await askToSignFrom(`::ffff:${ipv4}`)).status).toBe(429);
    expect((await askToSignFrom(ipv4)).status).toBe(429);
  });
});
