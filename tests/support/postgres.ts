import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The server to make test databases on: TEST_DATABASE_URL, else the local one.
 * When it does not answer the run fails, naming it — a suite that skipped
 * PostgreSQL silently would pass without testing half of what ships — unless
 * the run opts out with TEST_POSTGRES=skip (then null).
 */
export async function postgresAdminUrl(): Promise<string | null> {
  const url = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return url;
  } catch (error) {
    if (process.env.TEST_POSTGRES === "skip") return null;
    const where = new URL(url);
    where.password = "";
    throw new Error(
      `No PostgreSQL answers at ${where.host} (${error instanceof Error ? error.message : String(error)}). ` +
        "Start it, point TEST_DATABASE_URL at one, or set TEST_POSTGRES=skip to leave the PostgreSQL tests out of this run.",
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `werify_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
