import { countEvents, findBucket, insertBucketOnce, type Bucket } from "@/lib/db/rate-limit-buckets";

export type Hit = { allowed: boolean; count: number; retryAfter: number };

export type Counter = { key: string; limit: number; windowMs: number };

/**
 * Counts one event in each of several fixed windows shared by every instance:
 * a single upsert, so two instances counting at once never lose an increment,
 * and a request that is subject to three limits costs one statement, not three.
 */
export async function hitMany(counters: Counter[], now = Date.now()): Promise<Hit[]> {
  return judge(counters, await countEvents(windows(counters, now), now), now);
}

/** What to count for `counters`: each key with the end of the window a first event opens. */
export function windows(counters: Counter[], now: number): { key: string; resetAt: number }[] {
  return counters.map((c) => ({ key: c.key, resetAt: now + c.windowMs }));
}

/** The verdicts on counters, from the rows that counted them (countEvents, or a statement that counts them among other work). */
export function judge(counters: Counter[], rows: Bucket[], now: number): Hit[] {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return counters.map((c) => {
    const row = byKey.get(c.key)!;
    return { allowed: row.count <= c.limit, count: row.count, retryAfter: Math.max(1, Math.ceil((row.resetAt - now) / 1000)) };
  });
}

export async function hit(key: string, limit: number, windowMs: number, now = Date.now()): Promise<Hit> {
  const [result] = await hitMany([{ key, limit, windowMs }], now);
  return result;
}

/** Reads a window without counting: how many events so far, and when it resets. */
export async function peek(key: string, now = Date.now()): Promise<{ count: number; retryAfter: number }> {
  return windowOf(await findBucket(key), now);
}

/** A window as read (not counted): how many events so far, and when it resets. */
export function windowOf(bucket: Bucket | undefined, now: number): { count: number; retryAfter: number } {
  if (!bucket || bucket.resetAt <= now) return { count: 0, retryAfter: 0 };
  return { count: bucket.count, retryAfter: Math.max(1, Math.ceil((bucket.resetAt - now) / 1000)) };
}

/**
 * Marks `key` used until `until` (ms), once: true for the one caller that
 * inserted it, false for every later one, on any instance. One guarded insert
 * into the counters' table, whose housekeeping already drops rows past their time.
 */
export async function claimOnce(key: string, until: number): Promise<boolean> {
  return insertBucketOnce(key, until);
}
