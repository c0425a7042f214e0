// Another process writing the portal's SQLite file (a second worker of npm start), through the portal's own
// query layer: it opens a transaction (BEGIN IMMEDIATE takes the write lock), writes an outbox row, says "locked",
// and commits after HOLD_MS. Used by tests/integration/sqlite-processes.test.ts.
import { disconnectDb } from "@/lib/db/client";
import { transaction } from "@/lib/db/kysely";
import { insertOutboxMessage } from "@/lib/db/outbox-messages";

await transaction(async (tx) => {
  await insertOutboxMessage({ channel: "email", recipient: `other-${process.env.TAG}`, subject: null, body: "x", code: null, now: new Date() }, tx);
  process.stdout.write("locked\n");
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.HOLD_MS)));
});
await disconnectDb();
