import { join, q, sql } from "@/lib/db/sql";

export type Hit = { allowed: boolean; count: number; retryAfter: number };

export type Counter = { key: string; limit: number; windowMs: number };

/**
 * Counts one event in each of several fixed windows shared by every instance:
 * a single upsert, so two instances counting at once never lose an increment,
 * and a request that is subject to three limits costs one statement, not three.
 */
export async function hitMany(counters: Counter[], now = Date.now()): Promise<Hit[]> {
  const at = BigInt(now);
  const values = join(counters.map((c) => sql`(${c.key}, 1, ${BigInt(now + c.windowMs)})`));
  const rows = await q.rows<{ key: string; count: number; reset_at: number }>(sql`
    INSERT INTO rate_limit_buckets (key, count, reset_at) VALUES ${values}
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_buckets.reset_at <= ${at} THEN 1 ELSE rate_limit_buckets.count + 1 END,
      reset_at = CASE WHEN rate_limit_buckets.reset_at <= ${at} THEN excluded.reset_at ELSE rate_limit_buckets.reset_at END
    RETURNING key, count, reset_at`);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return counters.map((c) => {
    const row = byKey.get(c.key)!;
    const count = Number(row.count);
    return { allowed: count <= c.limit, count, retryAfter: Math.max(1, Math.ceil((Number(row.reset_at) - now) / 1000)) };
  });
}

export async function hit(key: string, limit: number, windowMs: number, now = Date.now()): Promise<Hit> {
  const [result] = await hitMany([{ key, limit, windowMs }], now);
  return result;
}

/** Reads a window without counting: how many events so far, and when it resets. */
export async function peek(key: string, now = Date.now()): Promise<{ count: number; retryAfter: number }> {
  const bucket = await q.one<{ count: number; resetAt: number }>(sql`SELECT count, reset_at AS "resetAt" FROM rate_limit_buckets WHERE key = ${key}`);
  if (!bucket || Number(bucket.resetAt) <= now) return { count: 0, retryAfter: 0 };
  return { count: bucket.count, retryAfter: Math.max(1, Math.ceil((Number(bucket.resetAt) - now) / 1000)) };
}

/**
 * Marks `key` used until `until` (ms), once: true for the one caller that
 * inserted it, false for every later one, on any instance. One guarded insert
 * into the counters' table, whose housekeeping already drops rows past their time.
 */
export async function claimOnce(key: string, until: number): Promise<boolean> {
  const inserted = await q.run(sql`INSERT INTO rate_limit_buckets (key, count, reset_at) VALUES (${key}, 1, ${BigInt(until)}) ON CONFLICT (key) DO NOTHING`);
  return inserted === 1;
}
