import { ColumnTypeEnum, type ArgType, type ColumnType, type SqlDriverAdapter, type SqlQuery, type SqlQueryable, type SqlResultSet, type Transaction as AdapterTransaction } from "@prisma/driver-adapter-utils";
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type Transaction,
} from "kysely";
import { config } from "@/lib/config";
import { connectedAdapter } from "./client";
import type { DB } from "./generated/kysely/types";

/**
 * The one query layer: Kysely, typed by lib/db/generated/kysely/types.ts (written
 * by prisma-kysely from prisma/models.prisma at `npm run db:generate`, so a
 * renamed column fails `tsc`), compiled for SQLite or PostgreSQL and run on the
 * very driver adapter the Prisma client uses: same pool, same SQLite lock
 * (SerialisedSqlite), same conversions of arguments. Statements live in one
 * module per table beside this file; nothing else writes SQL.
 *
 * Prepared statements: better-sqlite3 keeps them (SerialisedSqlite caches them by
 * text); the pg adapter sends every query unnamed (`{ text, values, rowMode }`,
 * no `name`), so PostgreSQL re-plans each one — naming them would mean patching
 * the adapter.
 */
export type Database = DB;

/**
 * Where statements run: the shared connection (`kysely()`) or an open transaction.
 * On SQLite a statement on `kysely()` waits for any open transaction to end, so
 * code inside `transaction()` must pass its `tx` down, never use `kysely()`.
 */
export type Queryable = Kysely<DB>;
/** An open transaction (`transaction()`). */
export type Tx = Transaction<DB>;

function argType(value: unknown): ArgType {
  if (value instanceof Date) return { scalarType: "datetime", arity: "scalar" };
  if (typeof value === "bigint") return { scalarType: "bigint", arity: "scalar" };
  if (typeof value === "number") return { scalarType: Number.isInteger(value) ? "int" : "float", arity: "scalar" };
  if (typeof value === "boolean") return { scalarType: "boolean", arity: "scalar" };
  if (typeof value === "string") return { scalarType: "string", arity: "scalar" };
  return { scalarType: "unknown", arity: "scalar" };
}

const INT32 = 2 ** 31;

function toQuery(compiled: CompiledQuery): SqlQuery {
  const args = compiled.parameters.map((value) => {
    if (value === undefined) return null;
    // Epoch milliseconds and other 64-bit integers are bound as integers, not as floats.
    if (typeof value === "number" && Number.isInteger(value) && (value >= INT32 || value < -INT32)) return BigInt(value);
    return value;
  });
  return { sql: compiled.sql, args, argTypes: args.map(argType) };
}

/** The one row decoder — adapter values → what the generated types say: DateTime → Date, 64-bit integers → number. */
function decode(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case ColumnTypeEnum.DateTime:
    case ColumnTypeEnum.Date:
      return new Date(value as string);
    case ColumnTypeEnum.Int32:
    case ColumnTypeEnum.Int64:
      return Number(value);
    case ColumnTypeEnum.Boolean:
      // SQLite's 0/1 arrive as text when they are read as 64-bit integers ("0" is truthy).
      return value === true || value === 1 || value === "1";
    default:
      return value;
  }
}

function objects<R>(result: SqlResultSet): R[] {
  const { columnNames, columnTypes } = result;
  return result.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) out[columnNames[i]] = decode(row[i], columnTypes[i]);
    return out as R;
  });
}

/** INSERT/UPDATE/DELETE without RETURNING answer a count (executeRaw); everything else rows (queryRaw). */
function answersRows(compiled: CompiledQuery): boolean {
  const node = compiled.query as { kind: string; returning?: unknown };
  if (node.kind === "InsertQueryNode" || node.kind === "UpdateQueryNode" || node.kind === "DeleteQueryNode") return Boolean(node.returning);
  return true;
}

async function run<R>(on: SqlQueryable, compiled: CompiledQuery): Promise<QueryResult<R>> {
  const query = toQuery(compiled);
  if (answersRows(compiled)) return { rows: objects<R>(await on.queryRaw(query)) };
  return { rows: [], numAffectedRows: BigInt(await on.executeRaw(query)) };
}

const COMMIT: SqlQuery = { sql: "COMMIT", args: [], argTypes: [] };
const ROLLBACK: SqlQuery = { sql: "ROLLBACK", args: [], argTypes: [] };

/** A Kysely connection: the adapter (pool or shared SQLite connection), or one adapter transaction once begun. */
class AdapterConnection implements DatabaseConnection {
  tx?: AdapterTransaction;
  constructor(readonly adapter: SqlDriverAdapter) {}

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return run<R>(this.tx ?? this.adapter, compiled);
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming is not supported on the Prisma driver adapter");
  }
}

/**
 * The one transaction mechanism (Kysely's `transaction().execute()` calls these).
 * The adapters' Transaction.commit()/rollback() send nothing: they only release
 * the connection (pg) or the mutex (better-sqlite3), because Prisma's engine
 * sends COMMIT/ROLLBACK itself (`usePhantomQuery: false`, see
 * node_modules/@prisma/adapter-*\/dist/index.mjs) — so this driver sends them too.
 */
class AdapterDriver implements Driver {
  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new AdapterConnection(await connectedAdapter());
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as AdapterConnection;
    // BEGIN is sent by startTransaction (SQLite: BEGIN IMMEDIATE, under SerialisedSqlite's lock).
    c.tx = await c.adapter.startTransaction();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tx = (connection as AdapterConnection).tx!;
    // A failed COMMIT leaves the transaction open: Kysely then calls rollbackTransaction.
    await tx.executeRaw(COMMIT);
    (connection as AdapterConnection).tx = undefined;
    await tx.commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const tx = (connection as AdapterConnection).tx;
    if (!tx) return;
    (connection as AdapterConnection).tx = undefined;
    try {
      // Kysely rethrows the error that made it roll back; a failing ROLLBACK (e.g. after a failed COMMIT) must not replace it.
      await tx.executeRaw(ROLLBACK).catch(() => undefined);
    } finally {
      await tx.rollback();
    }
  }

  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

function dialect(postgres: boolean): Dialect {
  return {
    createAdapter: () => (postgres ? new PostgresAdapter() : new SqliteAdapter()),
    createDriver: () => new AdapterDriver(),
    createQueryCompiler: () => (postgres ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    createIntrospector: (db) => (postgres ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
  };
}

const holder = globalThis as typeof globalThis & { __werifyKysely?: { postgres: boolean; db: Kysely<DB> } };

/** The query builder on the shared connection or pool; each statement its own transaction. */
export function kysely(): Kysely<DB> {
  const postgres = config().postgres;
  if (holder.__werifyKysely?.postgres !== postgres) holder.__werifyKysely = { postgres, db: new Kysely<DB>({ dialect: dialect(postgres) }) };
  return holder.__werifyKysely.db;
}

/**
 * One transaction on the shared connection (SQLite: under the same lock as
 * Prisma's transactions). Commits when `work` resolves, rolls back when it throws.
 */
export function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return kysely().transaction().execute(work);
}

/** Rows an UPDATE/DELETE/INSERT changed, from Kysely's result. */
export function changed(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint } | undefined): number {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? result?.numInsertedOrUpdatedRows ?? 0);
}

/** True for a unique-constraint violation from either database, whether it came through the adapter or through Prisma. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { kind?: string }; meta?: { driverAdapterError?: { cause?: { kind?: string } } } } | null;
  if (!e || typeof e !== "object") return false;
  return e.code === "P2002" || e.cause?.kind === "UniqueConstraintViolation" || e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}
