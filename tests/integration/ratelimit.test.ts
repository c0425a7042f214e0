import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { hit, hitMany } from "@/lib/ratelimit/hit";
import { noDatabase } from "../support/skip";

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
});
