import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/**
 * Prisma's better-sqlite3 adapter, with its statements prepared once (below),
 * and serialised: it runs every query on one connection and lets
 * queries from outside an open interactive transaction run on it too: they
 * silently join that transaction and vanish if it rolls back
 * (tests/integration/transactions.test.ts). This wrapper makes them wait until
 * the transaction ends, as a second connection would wait for the write lock.
 */
export class SerialisedSqlite implements SqlDriverAdapterFactory {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;

  constructor(private readonly inner: SqlDriverAdapterFactory) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.inner.connect();
    const client = (adapter as unknown as { client?: unknown }).client;
    if (isPreparer(client)) cacheStatements(client);
    return serialise(adapter);
  }
}

type BoundStatement = { reader: boolean; run(): unknown; columns(): unknown[]; raw(): { all(): unknown[] } };
type Statement = { reader: boolean; run(...args: unknown[]): unknown; all(...args: unknown[]): unknown[]; columns(): unknown[]; raw(on: boolean): Statement };
type Preparer = { prepare(sql: string): unknown };

function isPreparer(client: unknown): client is Preparer {
  return typeof client === "object" && client !== null && typeof (client as Preparer).prepare === "function";
}

const CACHED_STATEMENTS = 256;

/**
 * The adapter prepares every statement anew (`prepare(sql).bind(args)`), which
 * was 7–9% of a sign-in's CPU (bench/ profiles). This keeps the last 256
 * prepared statements by SQL text and hands the adapter a binding that runs the
 * cached one with its own arguments. Safe because better-sqlite3 runs each
 * statement to completion synchronously: no two uses of one statement overlap.
 */
function cacheStatements(client: Preparer): void {
  const prepare = client.prepare.bind(client) as (sql: string) => Statement;
  const cache = new Map<string, Statement>();
  client.prepare = (text: string) => {
    // Transactions take the write lock when they begin: a deferred BEGIN that reads, then writes while another
    // process (a second worker) holds the lock fails with SQLITE_BUSY at once instead of waiting its turn.
    const sql = text === "BEGIN" ? "BEGIN IMMEDIATE" : text;
    let statement = cache.get(sql);
    if (statement) {
      // Most recently used last, so the first key is the one to evict.
      cache.delete(sql);
    } else {
      statement = prepare(sql);
      if (statement.reader) statement.raw(true);
      if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    const cached = statement;
    const binding = (args: unknown[]): BoundStatement => ({
      reader: cached.reader,
      run: () => cached.run(args),
      columns: () => cached.columns(),
      raw: () => ({ all: () => cached.all(args) }),
    });
    // What the adapter calls: prepare(sql).bind(args) for queries, prepare("BEGIN").run() for transactions.
    return { reader: cached.reader, bind: binding, run: (...args: unknown[]) => cached.run(...args) };
  };
}

function bound<T extends object>(target: T, property: string | symbol): unknown {
  const value = Reflect.get(target, property, target);
  return typeof value === "function" ? value.bind(target) : value;
}

function serialise(adapter: SqlDriverAdapter): SqlDriverAdapter {
  let tail: Promise<void> = Promise.resolve();
  // A FIFO lock: each holder gets its turn after everyone who asked before it.
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const ready = tail.then(() => release);
    tail = tail.then(() => turn);
    return ready;
  };
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };
  const startTransaction = async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
    const release = await acquire();
    let tx: Transaction;
    try {
      tx = await adapter.startTransaction(isolationLevel);
    } catch (error) {
      release();
      throw error;
    }
    // The transaction's own queries run under the lock it holds; ending it releases the lock.
    const end = (finish: () => Promise<void>) => async () => {
      try {
        await finish();
      } finally {
        release();
      }
    };
    return new Proxy(tx, {
      get(inner, property) {
        if (property === "commit") return end(() => inner.commit());
        if (property === "rollback") return end(() => inner.rollback());
        return bound(inner, property);
      },
    });
  };

  return new Proxy(adapter, {
    get(target, property) {
      if (property === "queryRaw") return (query: SqlQuery) => exclusive(() => target.queryRaw(query));
      if (property === "executeRaw") return (query: SqlQuery) => exclusive(() => target.executeRaw(query));
      if (property === "executeScript") return (script: string) => exclusive(() => target.executeScript(script));
      if (property === "startTransaction") return startTransaction;
      return bound(target, property);
    },
  });
}
