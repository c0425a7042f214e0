import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { isUniqueViolation, newId, q, sql, transaction, type Runner } from "@/lib/db/sql";
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

describe.skipIf(noDatabase)("hand-written SQL on the client's connection", () => {
  afterAll(disconnectDb);

  it("reads back what Prisma wrote, with the same dates and numbers", async () => {
    const key = `sql-${randomBytes(6).toString("hex")}`;
    const at = new Date("2026-11-26T10:15:30.123Z");
    const created = await db().qrLogin.create({ data: { qrTokenHash: key, pollTokenHash: "p", createdAt: at, expiresAt: at } });
    const row = await q.one<{ id: string; createdAt: Date; count: number }>(
      sql`SELECT id, created_at AS "createdAt", (SELECT count(*) FROM qr_logins WHERE qr_token_hash = ${key}) AS count FROM qr_logins WHERE qr_token_hash = ${key}`,
    );
    expect(row).toEqual({ id: created.id, createdAt: at, count: 1 });
  });

  it("writes dates Prisma reads back and compares correctly", async () => {
    const id = newId();
    const at = new Date("2026-11-26T10:15:30.007Z");
    await q.run(sql`INSERT INTO qr_logins (id, qr_token_hash, poll_token_hash, status, created_at, expires_at) VALUES (${id}, ${id}, 'p', 'pending', ${at}, ${at})`);
    expect((await db().qrLogin.findUniqueOrThrow({ where: { id } })).expiresAt).toEqual(at);
    expect(await db().qrLogin.count({ where: { id, expiresAt: { gt: new Date(at.getTime() - 1) } } })).toBe(1);
    expect(await q.run(sql`UPDATE qr_logins SET status = 'expired' WHERE id = ${id} AND expires_at <= ${new Date(at.getTime() - 1)}`)).toBe(0);
    expect(await q.run(sql`UPDATE qr_logins SET status = 'expired' WHERE id = ${id} AND expires_at <= ${at}`)).toBe(1);
  });

  it("a transaction that throws leaves nothing behind, and one that returns commits", async () => {
    const tag = randomBytes(6).toString("hex");
    const insert = (tx: Runner, who: string) => tx.run(sql`INSERT INTO outbox_messages (id, channel, recipient, body, created_at) VALUES (${newId()}, 'email', ${who}, 'x', ${new Date()})`);
    await expect(
      transaction(async (tx) => {
        await insert(tx, `gone-${tag}`);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await transaction((tx) => insert(tx, `kept-${tag}`));
    expect(await db().outboxMessage.count({ where: { recipient: `gone-${tag}` } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { recipient: `kept-${tag}` } })).toBe(1);
  });

  it("a duplicate key is recognised as one, inside a transaction too", async () => {
    const id = newId();
    const insert = (tx: Runner) => tx.run(sql`INSERT INTO users (id, created_at) VALUES (${id}, ${new Date()})`);
    await insert(q);
    const error = await insert(q).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    await expect(transaction(insert)).rejects.toSatisfy(isUniqueViolation);
  });

  it("a statement run again with other arguments answers for those arguments (SQLite caches prepared statements)", async () => {
    const tag = randomBytes(6).toString("hex");
    const keys = [`a-${tag}`, `b-${tag}`, `c-${tag}`];
    for (const key of keys) await q.run(sql`INSERT INTO rate_limit_buckets (key, count, reset_at) VALUES (${key}, ${key.length + keys.indexOf(key)}, ${BigInt(Date.now())})`);
    for (let round = 0; round < 3; round++) {
      for (const [i, key] of keys.entries()) {
        expect(await q.one(sql`SELECT key, count FROM rate_limit_buckets WHERE key = ${key}`)).toEqual({ key, count: key.length + i });
      }
    }
    expect(await q.one(sql`SELECT key FROM rate_limit_buckets WHERE key = ${`missing-${tag}`}`)).toBeUndefined();
  });

  it("ids are 25 characters like Prisma's cuid() and do not repeat", () => {
    const ids = new Set(Array.from({ length: 10_000 }, newId));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });
});
