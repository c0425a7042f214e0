import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { config } from "@/lib/config";
import { SerialisedSqlite } from "./serialised-sqlite";

/**
 * Both generated clients expose the same models (one source: prisma/models.prisma),
 * so the rest of the code is typed against one of them.
 */
export type Db = SqliteClient;

// Under load a transaction may wait its turn for a connection (PostgreSQL pool)
// or the write lock (SQLite); Prisma's 2 s default would turn that wait into a 500.
const transactionOptions = { maxWait: 10_000, timeout: 15_000 };

/** Keeps the adapter the client connected with, so lib/db/kysely.ts runs on the same connection or pool. */
class Remembered implements SqlDriverAdapterFactory {
  readonly provider: SqlDriverAdapterFactory["provider"];
  readonly adapterName: string;
  connected?: Promise<SqlDriverAdapter>;

  constructor(private readonly inner: SqlDriverAdapterFactory) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  connect(): Promise<SqlDriverAdapter> {
    this.connected = this.inner.connect();
    return this.connected;
  }
}

function connect(): { client: Db; adapter: Remembered } {
  const { DATABASE_URL, DATABASE_POOL_SIZE, postgres } = config();
  if (postgres) {
    const adapter = new Remembered(new PrismaPg({ connectionString: DATABASE_URL, max: DATABASE_POOL_SIZE }));
    return { client: new PostgresClient({ adapter, transactionOptions }) as unknown as Db, adapter };
  }
  // better-sqlite3 waits up to `timeout` ms for a lock held by another process.
  const adapter = new Remembered(new SerialisedSqlite(new PrismaBetterSQLite3({ url: DATABASE_URL, timeout: 5000 })));
  return { client: new SqliteClient({ adapter, transactionOptions }), adapter };
}

// One client per process, kept across hot reloads in development.
const holder = globalThis as typeof globalThis & { __werifyDb?: { client: Db; adapter: Remembered } };

export function db(): Db {
  holder.__werifyDb ??= connect();
  return holder.__werifyDb.client;
}

/** The driver adapter of db(), connected. */
export async function connectedAdapter(): Promise<SqlDriverAdapter> {
  const client = db();
  const { adapter } = holder.__werifyDb!;
  if (!adapter.connected) await client.$connect();
  if (!adapter.connected) throw new Error("the database client connected without its adapter");
  return adapter.connected;
}

export async function disconnectDb(): Promise<void> {
  const current = holder.__werifyDb;
  holder.__werifyDb = undefined;
  await current?.client.$disconnect();
}
