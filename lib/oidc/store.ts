import { AsyncLocalStorage } from "node:async_hooks";
import { db, type Db } from "@/lib/db/client";

/** What OIDC code writes to: the client, or the transaction it is inside. */
export type OidcTx = Pick<Db, "oidcPayload" | "oidcClient" | "session" | "auditEvent" | "user" | "$executeRawUnsafe" | "$queryRawUnsafe">;

const current = new AsyncLocalStorage<OidcTx>();

/** The open transaction of this async call chain, else the shared client. */
export function store(): OidcTx {
  return current.getStore() ?? db();
}

/**
 * Runs work in one database transaction that oidc-provider's own saves (through
 * the adapter) join, so e.g. a Grant and the audit row about it commit together.
 */
export async function inTransaction<T>(work: (tx: OidcTx) => Promise<T>): Promise<T> {
  const open = current.getStore();
  if (open) return work(open);
  return db().$transaction((tx) => current.run(tx, () => work(tx)));
}

/** Rows are keyed "<Model>:<id>" so ids of different models can never collide. */
export function rowId(type: string, id: string): string {
  return `${type}:${id}`;
}

export { isUniqueViolation } from "@/lib/db/kysely";
