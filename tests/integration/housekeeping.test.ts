import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { deleteExpired } from "@/lib/housekeeping/delete-expired";
import { noDatabase } from "../support/skip";

const HOUR = 3_600_000;

describe.skipIf(noDatabase)("housekeeping", () => {
  afterAll(disconnectDb);

  it("removes expired codes, QR logins and limit buckets and keeps live ones, with two sweepers at once", async () => {
    const now = new Date();
    const tag = randomBytes(4).toString("hex");
    const old = new Date(now.getTime() - 2 * HOUR);
    const soon = new Date(now.getTime() + HOUR);
    const challenge = (id: string, expiresAt: Date) => ({ id: `ch_${tag}_${id}`, identityType: "email", identityValue: `${tag}@example.com`, channel: "email", expiresAt, createdAt: old });
    await db().challenge.createMany({ data: [...Array.from({ length: 1200 }, (_, i) => challenge(`old${i}`, old)), challenge("live", soon)] });
    await db().qrLogin.createMany({
      data: [
        { qrTokenHash: `${tag}-old`, pollTokenHash: "x", expiresAt: old },
        { qrTokenHash: `${tag}-live`, pollTokenHash: "x", expiresAt: soon },
      ],
    });
    await db().rateLimitBucket.createMany({
      data: [
        { key: `${tag}:old`, count: 3, resetAt: BigInt(old.getTime()) },
        { key: `${tag}:live`, count: 3, resetAt: BigInt(soon.getTime()) },
      ],
    });

    // two instances sweeping at the same moment
    const [a, b] = await Promise.all([deleteExpired(now), deleteExpired(now)]);
    expect(a.challenges + b.challenges).toBeGreaterThanOrEqual(1200);

    expect(await db().challenge.count({ where: { identityValue: `${tag}@example.com` } })).toBe(1);
    expect(await db().challenge.findUnique({ where: { id: `ch_${tag}_live` } })).not.toBeNull();
    expect(await db().qrLogin.findMany({ where: { qrTokenHash: { startsWith: tag } }, select: { qrTokenHash: true } })).toEqual([{ qrTokenHash: `${tag}-live` }]);
    expect(await db().rateLimitBucket.findMany({ where: { key: { startsWith: tag } }, select: { key: true } })).toEqual([{ key: `${tag}:live` }]);
  });
});
