// The PostgreSQL half of bench/code-reader.ts: answers "newest code for this
// recipient" on a MessagePort and raises a flag the main thread waits on with
// Atomics.wait, so autocannon's synchronous setupRequest can read a code.
import { workerData } from "node:worker_threads";
import pg from "pg";

const { databaseUrl, port, flag } = workerData;
const done = new Int32Array(flag);
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
port.on("message", async (recipient) => {
  let code = null;
  try {
    const { rows } = await client.query("SELECT code FROM outbox_messages WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1", [recipient]);
    code = rows[0]?.code ?? null;
  } finally {
    port.postMessage(code);
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  }
});
port.postMessage("ready");
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
