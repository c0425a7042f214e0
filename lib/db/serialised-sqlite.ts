import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/**
 * Prisma's better-sqlite3 adapter runs every query on one connection and lets
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
    return serialise(await this.inner.connect());
  }
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
