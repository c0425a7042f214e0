import { ColumnTypeEnum, type ArgType, type ColumnType, type SqlQuery, type SqlQueryable, type SqlResultSet } from "@prisma/driver-adapter-utils";
import { randomBytes } from "node:crypto";
import { config } from "@/lib/config";
import { connectedAdapter, type Db } from "./client";

/**
 * Hand-written SQL for the hot paths (sign, verify, QR poll), run on the very
 * driver adapter the Prisma client uses: same connection or pool, same SQLite
 * lock, same conversions of dates and integers. Prisma's client compiles every
 * query on every call — about 0.2–0.9 ms of CPU per statement here against
 * 0.05 ms for the same statement on the adapter (bench/, `npm run bench -- --profile`).
 * Everything else keeps using the Prisma client.
 *
 * Write table and column names as in the migrations (snake_case); the SQL must
 * be valid on both SQLite and PostgreSQL.
 */
export type Statement = { readonly parts: readonly string[]; readonly values: readonly unknown[] };

/** A statement from a template; `${value}` becomes a bound parameter, `${sql`…`}` is inlined. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Statement {
  const parts: string[] = [strings[0]];
  const bound: unknown[] = [];
  values.forEach((value, i) => {
    if (isStatement(value)) {
      parts[parts.length - 1] += value.parts[0];
      for (let j = 0; j < value.values.length; j++) {
        bound.push(value.values[j]);
        parts.push(value.parts[j + 1]);
      }
      parts[parts.length - 1] += strings[i + 1];
    } else {
      bound.push(value);
      parts.push(strings[i + 1]);
    }
  });
  return { parts, values: bound };
}

/** Statements joined by a separator, e.g. the rows of a multi-row VALUES. */
export function join(statements: Statement[], separator = ", "): Statement {
  const strings = Object.assign(["", ...statements.slice(1).map(() => separator), ""], { raw: [] as string[] });
  return sql(strings as unknown as TemplateStringsArray, ...statements);
}

function isStatement(value: unknown): value is Statement {
  return typeof value === "object" && value !== null && "parts" in value && "values" in value && !(value instanceof Date);
}

function argType(value: unknown): ArgType {
  if (value instanceof Date) return { scalarType: "datetime", arity: "scalar" };
  if (typeof value === "bigint") return { scalarType: "bigint", arity: "scalar" };
  if (typeof value === "number") return { scalarType: Number.isInteger(value) ? "int" : "float", arity: "scalar" };
  if (typeof value === "boolean") return { scalarType: "boolean", arity: "scalar" };
  if (typeof value === "string") return { scalarType: "string", arity: "scalar" };
  return { scalarType: "unknown", arity: "scalar" };
}

function toQuery(statement: Statement): SqlQuery {
  const postgres = config().postgres;
  let text = statement.parts[0];
  for (let i = 1; i < statement.parts.length; i++) text += (postgres ? `$${i}` : "?") + statement.parts[i];
  return { sql: text, args: statement.values.map((v) => (v === undefined ? null : v)), argTypes: statement.values.map(argType) };
}

/** Adapter values → the types Prisma would return: DateTime → Date, 64-bit integers → number. */
function decode(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case ColumnTypeEnum.DateTime:
    case ColumnTypeEnum.Date:
      return new Date(value as string);
    case ColumnTypeEnum.Int32:
    case ColumnTypeEnum.Int64:
      return Number(value);
    default:
      return value;
  }
}

function objects<T>(result: SqlResultSet): T[] {
  const { columnNames, columnTypes } = result;
  return result.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) out[columnNames[i]] = decode(row[i], columnTypes[i]);
    return out as T;
  });
}

/** Where statements run: the shared connection, or an open transaction. */
export type Runner = {
  rows<T>(statement: Statement): Promise<T[]>;
  one<T>(statement: Statement): Promise<T | undefined>;
  /** runs a statement without a result set; answers the number of rows it changed */
  run(statement: Statement): Promise<number>;
};

function runner(queryable: () => Promise<SqlQueryable>): Runner {
  const rows = async <T>(statement: Statement) => objects<T>(await (await queryable()).queryRaw(toQuery(statement)));
  return {
    rows,
    one: async <T>(statement: Statement) => (await rows<T>(statement))[0],
    run: async (statement) => (await queryable()).executeRaw(toQuery(statement)),
  };
}

/** A Prisma client or interactive transaction, which can run the same statements. */
export type PrismaRaw = Pick<Db, "$executeRawUnsafe" | "$queryRawUnsafe">;

/**
 * A Runner on either side: shared helpers (audit rows, sessions, the user view)
 * write inside whichever transaction their caller holds, a Prisma one or ours.
 * On SQLite a statement outside an open transaction waits for it to end, so a
 * helper must never be handed `q` while its caller's transaction is open.
 */
export function on(target: Runner | PrismaRaw): Runner {
  if ("run" in target) return target;
  const rows = async <T>(statement: Statement) => {
    const query = toQuery(statement);
    const result = await target.$queryRawUnsafe<Record<string, unknown>[]>(query.sql, ...query.args);
    // Prisma answers 64-bit integers as bigint; these helpers read numbers.
    return result.map((row) => {
      for (const key in row) if (typeof row[key] === "bigint") row[key] = Number(row[key]);
      return row as T;
    });
  };
  return {
    rows,
    one: async <T>(statement: Statement) => (await rows<T>(statement))[0],
    run: async (statement) => {
      const query = toQuery(statement);
      return target.$executeRawUnsafe(query.sql, ...query.args);
    },
  };
}

/** Statements on the shared connection, each its own transaction. */
export const q: Runner = runner(connectedAdapter);

/**
 * One transaction on the shared connection (SQLite: under the same lock as
 * Prisma's transactions). Commits when `work` resolves, rolls back when it throws.
 */
export async function transaction<T>(work: (tx: Runner) => Promise<T>): Promise<T> {
  const adapter = await connectedAdapter();
  const tx = await adapter.startTransaction();
  let result: T;
  try {
    result = await work(runner(async () => tx));
  } catch (error) {
    try {
      await tx.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] });
    } finally {
      await tx.rollback();
    }
    throw error;
  }
  try {
    await tx.executeRaw({ sql: "COMMIT", args: [], argTypes: [] });
  } catch (error) {
    await tx.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
    await tx.rollback();
    throw error;
  }
  await tx.commit();
  return result;
}

/** True for a unique-constraint violation from either database, whether it came through the adapter or through Prisma. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { kind?: string }; meta?: { driverAdapterError?: { cause?: { kind?: string } } } } | null;
  if (!e || typeof e !== "object") return false;
  return e.code === "P2002" || e.cause?.kind === "UniqueConstraintViolation" || e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}

/**
 * A row id of the shape Prisma's `cuid()` gives (25 characters, starting with
 * "c", roughly time-ordered) for rows these statements insert.
 */
export function newId(): string {
  const time = Date.now().toString(36).padStart(9, "0").slice(-9);
  let random = "";
  for (const byte of randomBytes(15)) random += (byte % 36).toString(36);
  return `c${time}${random}`;
}
