import { join } from "node:path";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import Database from "better-sqlite3";
import { sqlitePath } from "../lib/db/migrate";

/**
 * Reads the newest demo-outbox code for a recipient synchronously, because
 * autocannon builds the next request of a chain in a synchronous callback.
 * SQLite: a read-only better-sqlite3 connection (WAL: never blocks the portal).
 * PostgreSQL: a worker thread with its own connection, waited for with Atomics.
 */
export type CodeReader = { read: (recipient: string) => string | null; close: () => Promise<void> };

const SQL = "SELECT code FROM outbox_messages WHERE recipient = ? ORDER BY created_at DESC LIMIT 1";

export function openCodeReader(databaseUrl: string): CodeReader {
  return databaseUrl.startsWith("postgres") ? postgresReader(databaseUrl) : sqliteReader(databaseUrl);
}

function sqliteReader(databaseUrl: string): CodeReader {
  const db = new Database(sqlitePath(databaseUrl), { readonly: true, timeout: 5000 });
  const statement = db.prepare<[string], { code: string | null }>(SQL);
  return {
    read: (recipient) => statement.get(recipient)?.code ?? null,
    close: async () => void db.close(),
  };
}

function postgresReader(databaseUrl: string): CodeReader {
  const flag = new SharedArrayBuffer(4);
  const done = new Int32Array(flag);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(join(__dirname, "code-reader-worker.mjs"), { workerData: { databaseUrl, port: port2, flag }, transferList: [port2] });
  const receive = (): unknown => {
    if (Atomics.wait(done, 0, 0, 10_000) === "timed-out") throw new Error("the outbox reader did not answer within 10 s");
    Atomics.store(done, 0, 0);
    return receiveMessageOnPort(port1)?.message;
  };
  if (receive() !== "ready") throw new Error("the outbox reader did not start");
  return {
    read(recipient) {
      port1.postMessage(recipient);
      const code = receive();
      return typeof code === "string" ? code : null;
    },
    close: async () => {
      port1.close();
      await worker.terminate();
    },
  };
}
