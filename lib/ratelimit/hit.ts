import { db } from "@/lib/db/client";

export type Hit = { allowed: boolean; count: number; retryAfter: number };

/**
 * Counts one event in a fixed window shared by every instance: a single
 * upsert, so two instances counting at once never lose an increment.
 */
export async function hit(key: string, limit: number, windowMs: number, now = Date.now()): Promise<Hit> {
  const at = BigInt(now);
  const reset = BigInt(now + windowMs);
  const rows = await db().$queryRaw<{ count: number | bigint; reset_at: number | bigint }[]>`
    INSERT INTO rate_limit_buckets (key, count, reset_at) VALUES (${key}, 1, ${reset})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_buckets.reset_at <= ${at} THEN 1 ELSE rate_limit_buckets.count + 1 END,
      reset_at = CASE WHEN rate_limit_buckets.reset_at <= ${at} THEN ${reset} ELSE rate_limit_buckets.reset_at END
    RETURNING count, reset_at`;
  const count = Number(rows[0].count);
  return { allowed: count <= limit, count, retryAfter: Math.max(1, Math.ceil((Number(rows[0].reset_at) - now) / 1000)) };
}

/** Reads a window without counting: how many events so far, and when it resets. */
export async function peek(key: string, now = Date.now()): Promise<{ count: number; retryAfter: number }> {
  const bucket = await db().rateLimitBucket.findUnique({ where: { key } });
  if (!bucket || Number(bucket.resetAt) <= now) return { count: 0, retryAfter: 0 };
  return { count: bucket.count, retryAfter: Math.max(1, Math.ceil((Number(bucket.resetAt) - now) / 1000)) };
}
