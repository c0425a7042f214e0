import { AsyncLocalStorage } from "node:async_hooks";
import { kysely, transaction, type Queryable, type Tx } from "@/lib/db/kysely";

const current = new AsyncLocalStorage<Tx>();

/**
 * Where OIDC statements run: the transaction this async call chain is inside,
 * else the shared connection. oidc-provider calls the adapter without a way to
 * pass a transaction down, so its saves find the open one here.
 */
export function store(): Queryable {
  return current.getStore() ?? kysely();
}

/**
 * Runs work in one database transaction (lib/db's `transaction()`) that
 * oidc-provider's own saves (through the adapter) join, so e.g. a Grant and
 * the audit row about it commit together. Nested calls join the open one.
 */
export async function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const open = current.getStore();
  if (open) return work(open);
  return transaction((tx) => current.run(tx, () => work(tx)));
}

/** Rows are keyed "<Model>:<id>" so ids of different models can never collide. */
export function rowId(type: string, id: string): string {
  return `${type}:${id}`;
}
