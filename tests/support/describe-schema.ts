import Database from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "@/lib/db/migrate";

/** A database's tables, columns and indexes as comparable text, without Prisma's own bookkeeping table. */
export async function describeSchema(url: string): Promise<string[]> {
  if (url.startsWith("postgres")) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const columns = await client.query(
        `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
      );
      const indexes = await client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`);
      const constraints = await client.query(
        `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
         WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY conname`,
      );
      return [
        ...columns.rows.map((r) => `column ${r.table_name}.${r.column_name} ${r.data_type} ${r.is_nullable} ${r.column_default ?? ""}`),
        ...indexes.rows.map((r) => `index ${r.indexdef}`),
        ...constraints.rows.map((r) => `constraint ${r.tbl} ${r.conname} ${r.def}`),
      ];
    } finally {
      await client.end();
    }
  }
  const sqlite = new Database(sqlitePath(url), { readonly: true });
  try {
    const rows = sqlite
      .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY type, name`)
      .all() as { type: string; name: string; sql: string | null }[];
    return rows.map((r) => `${r.type} ${r.name} ${(r.sql ?? "").replace(/\s+/g, " ").trim()}`);
  } finally {
    sqlite.close();
  }
}

export async function applySql(url: string, sql: string): Promise<void> {
  if (url.startsWith("postgres")) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const sqlite = new Database(sqlitePath(url));
  try {
    sqlite.exec(sql);
  } finally {
    sqlite.close();
  }
}
