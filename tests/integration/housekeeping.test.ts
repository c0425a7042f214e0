import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { kysely } from "@/lib/db/kysely";
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
    const challenge = (id: string, expiresAt: Date) => ({ id: `ch_${tag}_${id}`, identity_type: "email", identity_value: `${tag}@example.com`, channel: "email", status: "active", attempts: 0, expires_at: expiresAt, created_at: old });
    const challenges = [...Array.from({ length: 1200 }, (_, i) => challenge(`old${i}`, old)), challenge("live", soon)];
    // In batches: one statement may bind at most 32,766 values on SQLite.
    for (let i = 0; i < challenges.length; i += 400) await kysely().insertInto("challenges").values(challenges.slice(i, i + 400)).execute();
    await kysely()
      .insertInto("qr_logins")
      .values([
        { id: newId(), qr_token_hash: `${tag}-old`, poll_token_hash: "x", status: "pending", created_at: old, expires_at: old },
        { id: newId(), qr_token_hash: `${tag}-live`, poll_token_hash: "x", status: "pending", created_at: old, expires_at: soon },
      ])
      .execute();
    await kysely()
      .insertInto("rate_limit_buckets")
      .values([
        { key: `${tag}:old`, count: 3, reset_at: old.getTime() },
        { key: `${tag}:live`, count: 3, reset_at: soon.getTime() },
      ])
      .execute();

    // two instances sweeping at the same moment
    const [a, b] = await Promise.all([deleteExpired(now), deleteExpired(now)]);
    expect(a.challenges + b.challenges).toBeGreaterThanOrEqual(1200);

    expect(await kysely().selectFrom("challenges").select("id").where("identity_value", "=", `${tag}@example.com`).execute()).toEqual([{ id: `ch_${tag}_live` }]);
    expect(await kysely().selectFrom("qr_logins").select("qr_token_hash").where("qr_token_hash", "like", `${tag}-%`).execute()).toEqual([{ qr_token_hash: `${tag}-live` }]);
    expect(await kysely().selectFrom("rate_limit_buckets").select("key").where("key", "like", `${tag}:%`).execute()).toEqual([{ key: `${tag}:live` }]);
  });
});
