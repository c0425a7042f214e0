import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * Applies the checked-in migrations of prisma/<provider>/migrations and records
 * each in Prisma's own `_prisma_migrations` table (same columns, same checksum),
 * so the Prisma CLI sees them as applied. We run it ourselves because Prisma 6's
 * JS schema engine cannot `migrate deploy` on PostgreSQL (prisma/orm#27403) and
 * because starting the CLI costs seconds on every boot.
 */
export type MigrationResult = { applied: string[]; total: number };

type Migration = { name: string; sql: string; checksum: string };

const ROOT = resolve(process.env.WERIFY_ROOT ?? process.cwd());

export function migrationsFor(provider: "sqlite" | "postgres"): Migration[] {
  const folder = join(ROOT, "prisma", provider, "migrations");
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(folder, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export function sqlitePath(url: string): string {
  return resolve(ROOT, url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

export async function migrate(databaseUrl: string): Promise<MigrationResult> {
  return databaseUrl.startsWith("postgres") ? migratePostgres(databaseUrl) : migrateSqlite(databaseUrl);
}

function checkRecorded(recorded: Map<string, string>, migrations: Migration[]) {
  for (const m of migrations) {
    const checksum = recorded.get(m.name);
    if (checksum && checksum !== m.checksum) {
      throw new Error(`migration ${m.name} was changed after it was applied; add a new migration instead`);
    }
  }
}

async function migrateSqlite(url: string): Promise<MigrationResult> {
  const { default: Database } = await import("better-sqlite3");
  const path = sqlitePath(url);
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { timeout: 10000 });
  try {
    // WAL lets readers run beside the one writer; it is a property of the file.
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const migrations = migrationsFor("sqlite");
    const applied: string[] = [];
    // IMMEDIATE takes the write lock first, so two processes starting at once apply each migration once.
    const run = sqlite.transaction(() => {
      const rows = sqlite
        .prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all() as { migration_name: string; checksum: string }[];
      const recorded = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      checkRecorded(recorded, migrations);
      for (const m of migrations) {
        if (recorded.has(m.name)) continue;
        sqlite.exec(m.sql);
        sqlite
          .prepare(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES (?, ?, ?, ?, ?, 1)`,
          )
          .run(randomUUID(), m.checksum, m.name, Date.now(), Date.now());
        applied.push(m.name);
      }
    });
    run.immediate();
    return { applied, total: migrations.length };
  } finally {
    sqlite.close();
  }
}

/** A fresh deployment may name a database that does not exist yet: create it, as SQLite creates its file. */
async function connectOrCreate(url: string) {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error;
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const creator = new Client({ connectionString: admin.toString() });
  await creator.connect();
  try {
    await creator.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // another instance created it a moment ago
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await creator.end();
  }
  const retry = new Client({ connectionString: url });
  await retry.connect();
  return retry;
}

async function migratePostgres(url: string): Promise<MigrationResult> {
  const client = await connectOrCreate(url);
  try {
    // The same advisory lock id Prisma Migrate takes, so we never run beside it.
    await client.query("SELECT pg_advisory_lock(72707369)");
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const recorded = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const migrations = migrationsFor("postgres");
    checkRecorded(recorded, migrations);
    const applied: string[] = [];
    for (const m of migrations) {
      if (recorded.has(m.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`);
      }
      applied.push(m.name);
    }
    return { applied, total: migrations.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock(72707369)").catch(() => undefined);
    await client.end();
  }
}
