import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
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

function connect(): Db {
  const { DATABASE_URL, DATABASE_POOL_SIZE, postgres } = config();
  if (postgres) {
    const adapter = new PrismaPg({ connectionString: DATABASE_URL, max: DATABASE_POOL_SIZE });
    return new PostgresClient({ adapter, transactionOptions }) as unknown as Db;
  }
  // better-sqlite3 waits up to `timeout` ms for a lock held by another process.
  return new SqliteClient({ adapter: new SerialisedSqlite(new PrismaBetterSQLite3({ url: DATABASE_URL, timeout: 5000 })), transactionOptions });
}

// One client per process, kept across hot reloads in development.
const holder = globalThis as typeof globalThis & { __werifyDb?: Db };

export function db(): Db {
  holder.__werifyDb ??= connect();
  return holder.__werifyDb;
}

export async function disconnectDb(): Promise<void> {
  const client = holder.__werifyDb;
  holder.__werifyDb = undefined;
  await client?.$disconnect();
}
