import { kysely } from "./kysely";

export type Bucket = { key: string; count: number; resetAt: number };

/**
 * Counts one event in each of several fixed windows (epoch ms `resetAt`): one
 * upsert for all of them, so concurrent counters never lose an increment.
 */
export async function countEvents(counters: { key: string; resetAt: number }[], now: number): Promise<Bucket[]> {
  return kysely()
    .insertInto("rate_limit_buckets")
    .values(counters.map((c) => ({ key: c.key, count: 1, reset_at: c.resetAt })))
    .onConflict((oc) =>
      oc.column("key").doUpdateSet((eb) => ({
        count: eb.case().when("rate_limit_buckets.reset_at", "<=", now).then(1).else(eb("rate_limit_buckets.count", "+", 1)).end(),
        reset_at: eb.case().when("rate_limit_buckets.reset_at", "<=", now).then(eb.ref("excluded.reset_at")).else(eb.ref("rate_limit_buckets.reset_at")).end(),
      })),
    )
    .returning(["key", "count", "reset_at as resetAt"])
    .execute();
}

export async function findBucket(key: string): Promise<Bucket | undefined> {
  return kysely().selectFrom("rate_limit_buckets").select(["key", "count", "reset_at as resetAt"]).where("key", "=", key).executeTakeFirst();
}

/** Inserts `key` unless it is there: true for the one caller that inserted it. */
export async function insertBucketOnce(key: string, resetAt: number): Promise<boolean> {
  const result = await kysely().insertInto("rate_limit_buckets").values({ key, count: 1, reset_at: resetAt }).onConflict((oc) => oc.column("key").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows) === 1;
}
