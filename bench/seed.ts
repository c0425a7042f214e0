import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "../lib/db/migrate";
import type { PendingQr } from "./qr-short-poll";

const BATCH = 100_000;
const DAY = 86_400_000;

/** A DATETIME as Prisma's SQLite adapter writes and compares it. */
function sqliteTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/**
 * Fills a migrated database with `count` users (one email identity each) and
 * `count` expired challenges for those identities (half never used, half
 * consumed, expired over the last day), as a portal accumulates them between
 * housekeeping runs. Returns the seconds it took.
 */
export async function seedGrowth(databaseUrl: string, count: number): Promise<number> {
  const started = performance.now();
  if (databaseUrl.startsWith("postgres")) await seedGrowthPostgres(databaseUrl, count);
  else seedGrowthSqlite(databaseUrl, count);
  return (performance.now() - started) / 1000;
}

function seedGrowthSqlite(databaseUrl: string, count: number): void {
  const db = new Database(sqlitePath(databaseUrl), { timeout: 10_000 });
  try {
    const user = db.prepare("INSERT INTO users (id, created_at) VALUES (?, ?)");
    const identity = db.prepare("INSERT INTO identities (id, user_id, type, value, verified_at, created_at) VALUES (?, ?, 'email', ?, ?, ?)");
    const challenge = db.prepare(`INSERT INTO challenges (id, identity_type, identity_value, channel, code_hash, status, attempts, created_at, expires_at, consumed_at)
      VALUES (?, 'email', ?, 'email', ?, ?, 0, ?, ?, ?)`);
    const now = Date.now();
    const hash = randomBytes(32).toString("base64url");
    const batch = db.transaction((from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const at = now - DAY + (n % 80_000) * 1000;
        const created = sqliteTime(at);
        const userId = `seed_u${n}`;
        const value = `seed-${n}@example.com`;
        user.run(userId, created);
        identity.run(`seed_i${n}`, userId, value, created, created);
        const consumed = n % 2 === 0;
        challenge.run(`ch_seed${n}`, value, hash, consumed ? "consumed" : "active", created, sqliteTime(at + 300_000), consumed ? created : null);
      }
    });
    for (let from = 0; from < count; from += BATCH) batch(from, Math.min(count, from + BATCH));
    // No ANALYZE: a portal's SQLite file never gets one, so the planner works as it would in production.
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

async function seedGrowthPostgres(databaseUrl: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(count, from + BATCH) - 1;
      await client.query("BEGIN");
      await client.query(`INSERT INTO users (id, created_at) SELECT 'seed_u' || n, now() - interval '1 day' + (n % 80000) * interval '1 second' FROM generate_series($1::int, $2::int) n`, [from, to]);
      await client.query(
        `INSERT INTO identities (id, user_id, type, value, verified_at, created_at)
         SELECT 'seed_i' || n, 'seed_u' || n, 'email', 'seed-' || n || '@example.com', now() - interval '1 day', now() - interval '1 day' FROM generate_series($1::int, $2::int) n`,
        [from, to],
      );
      await client.query(
        `INSERT INTO challenges (id, identity_type, identity_value, channel, code_hash, status, attempts, created_at, expires_at, consumed_at)
         SELECT 'ch_seed' || n, 'email', 'seed-' || n || '@example.com', 'email', md5(n::text),
                CASE WHEN n % 2 = 0 THEN 'consumed' ELSE 'active' END, 0,
                now() - interval '1 day' + (n % 80000) * interval '1 second',
                now() - interval '1 day' + (n % 80000) * interval '1 second' + interval '5 minutes',
                CASE WHEN n % 2 = 0 THEN now() - interval '1 day' ELSE NULL END
         FROM generate_series($1::int, $2::int) n`,
        [from, to],
      );
      await client.query("COMMIT");
    }
    // Autovacuum would do this within a minute of a bulk load in production.
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

/**
 * Writes `count` pending QR logins straight into a running portal's database,
 * as `GET /v1/oauth/qr` would (same columns, tokens hashed with the portal's
 * own `hash`), for workloads that need thousands of them at once: making
 * 10,000 through the API would take most of the bench's time budget.
 */
export async function seedQrLogins(databaseUrl: string, count: number, hash: (token: string) => string, ttlSeconds: number): Promise<PendingQr[]> {
  const now = Date.now();
  const logins = Array.from({ length: count }, () => ({ qr_token: `wrf${randomBytes(16).toString("base64url")}`, poll_token: `wqp_${randomBytes(16).toString("base64url")}` }));
  const rows = logins.map((l) => [`cqrseed${randomBytes(10).toString("hex")}`, hash(l.qr_token), hash(l.poll_token)] as const);
  if (databaseUrl.startsWith("postgres")) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        await client.query(
          `INSERT INTO qr_logins (id, qr_token_hash, poll_token_hash, status, ip, user_agent, browser, os, location, created_at, expires_at)
           SELECT id, q, p, 'pending', '127.0.0.1', 'werify-bench', 'Unknown browser', 'Unknown operating system', 'Local network', $4::timestamp, $5::timestamp
           FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, q, p)`,
          [chunk.map((r) => r[0]), chunk.map((r) => r[1]), chunk.map((r) => r[2]), new Date(now).toISOString(), new Date(now + ttlSeconds * 1000).toISOString()],
        );
      }
    } finally {
      await client.end();
    }
    return logins;
  }
  const db = new Database(sqlitePath(databaseUrl), { timeout: 10_000 });
  try {
    const insert = db.prepare(`INSERT INTO qr_logins (id, qr_token_hash, poll_token_hash, status, ip, user_agent, browser, os, location, created_at, expires_at)
      VALUES (?, ?, ?, 'pending', '127.0.0.1', 'werify-bench', 'Unknown browser', 'Unknown operating system', 'Local network', ?, ?)`);
    db.transaction(() => {
      for (const [id, q, p] of rows) insert.run(id, q, p, sqliteTime(now), sqliteTime(now + ttlSeconds * 1000));
    })();
  } finally {
    db.close();
  }
  return logins;
}
