import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { noDatabase } from "../support/skip";

describe.skipIf(noDatabase)("transactions", () => {
  afterAll(disconnectDb);

  it("a write made outside a transaction survives that transaction rolling back", async () => {
    const tag = randomBytes(6).toString("hex");
    let outside: Promise<unknown> | undefined;
    let outsideDoneInside = false;
    await expect(
      db().$transaction(async (tx) => {
        await tx.outboxMessage.create({ data: { channel: "email", recipient: `inside-${tag}`, body: "x" } });
        // Another request writes while this transaction is open…
        outside = db().$executeRaw`INSERT INTO outbox_messages (id, channel, recipient, body) VALUES (${`o-${tag}`}, 'email', ${`outside-${tag}`}, 'x')`;
        // …and has every chance to reach the database before this transaction ends.
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.outboxMessage.count();
        outsideDoneInside = await Promise.race([outside.then(() => true), Promise.resolve(false)]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await outside;
    // …and its row is kept, while the transaction's own is gone.
    expect(await db().outboxMessage.count({ where: { recipient: `outside-${tag}` } })).toBe(1);
    expect(await db().outboxMessage.count({ where: { recipient: `inside-${tag}` } })).toBe(0);
    // On SQLite's one connection the outside write waits for the transaction to end.
    if (!process.env.DATABASE_URL?.startsWith("postgres")) expect(outsideDoneInside).toBe(false);
  });
});
