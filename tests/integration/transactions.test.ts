import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { isUniqueViolation, kysely, transaction, type Queryable } from "@/lib/db/kysely";
import { noDatabase } from "../support/skip";

const insertOutbox = (q: Queryable, recipient: string) =>
  q.insertInto("outbox_messages").values({ id: newId(), channel: "email", recipient, body: "x", created_at: new Date() }).execute();
const outboxTo = (q: Queryable, recipient: string) => q.selectFrom("outbox_messages").select("id").where("recipient", "=", recipient).execute();

describe.skipIf(noDatabase)("transactions", () => {
  afterAll(disconnectDb);

  it("a write made outside a transaction survives that transaction rolling back", async () => {
    const tag = randomBytes(6).toString("hex");
    let outside: Promise<unknown> | undefined;
    let outsideDoneInside = false;
    await expect(
      transaction(async (tx) => {
        await insertOutbox(tx, `inside-${tag}`);
        // Another request writes while this transaction is open…
        outside = insertOutbox(kysely(), `outside-${tag}`);
        // …and has every chance to reach the database before this transaction ends.
        await new Promise((resolve) => setTimeout(resolve, 100));
        await outboxTo(tx, `inside-${tag}`);
        outsideDoneInside = await Promise.race([outside.then(() => true), Promise.resolve(false)]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await outside;
    // …and its row is kept, while the transaction's own is gone.
    expect(await outboxTo(kysely(), `outside-${tag}`)).toHaveLength(1);
    expect(await outboxTo(kysely(), `inside-${tag}`)).toHaveLength(0);
    // On SQLite's one connection the outside write waits for the transaction to end.
    if (!process.env.DATABASE_URL?.startsWith("postgres")) expect(outsideDoneInside).toBe(false);
  });
});

describe.skipIf(noDatabase)("the Kysely layer on the client's connection", () => {
  afterAll(disconnectDb);

  // Rows written by the Prisma client before the move to this layer (and by Prisma Studio) must read the same.
  it("reads back what Prisma wrote, with the same dates and numbers", async () => {
    const key = `sql-${randomBytes(6).toString("hex")}`;
    const at = new Date("2026-11-26T10:15:30.123Z");
    const created = await db().qrLogin.create({ data: { qrTokenHash: key, pollTokenHash: "p", createdAt: at, expiresAt: at } });
    const row = await kysely()
      .selectFrom("qr_logins")
      .select((eb) => ["id", "created_at as createdAt", eb.selectFrom("qr_logins").select((e) => e.fn.countAll<number>().as("n")).where("qr_token_hash", "=", key).as("count")])
      .where("qr_token_hash", "=", key)
      .executeTakeFirst();
    expect(row).toEqual({ id: created.id, createdAt: at, count: 1 });
  });

  it("writes dates Prisma reads back and compares correctly", async () => {
    const id = newId();
    const at = new Date("2026-11-26T10:15:30.007Z");
    await kysely().insertInto("qr_logins").values({ id, qr_token_hash: id, poll_token_hash: "p", status: "pending", created_at: at, expires_at: at }).execute();
    expect((await db().qrLogin.findUniqueOrThrow({ where: { id } })).expiresAt).toEqual(at);
    expect(await db().qrLogin.count({ where: { id, expiresAt: { gt: new Date(at.getTime() - 1) } } })).toBe(1);
    const expire = async (before: Date) =>
      Number((await kysely().updateTable("qr_logins").set({ status: "expired" }).where("id", "=", id).where("expires_at", "<=", before).executeTakeFirst()).numUpdatedRows);
    expect(await expire(new Date(at.getTime() - 1))).toBe(0);
    expect(await expire(at)).toBe(1);
  });

  it("a transaction that throws leaves nothing behind, and one that returns commits", async () => {
    const tag = randomBytes(6).toString("hex");
    await expect(
      transaction(async (tx) => {
        await insertOutbox(tx, `gone-${tag}`);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await transaction((tx) => insertOutbox(tx, `kept-${tag}`));
    expect(await outboxTo(kysely(), `gone-${tag}`)).toHaveLength(0);
    expect(await outboxTo(kysely(), `kept-${tag}`)).toHaveLength(1);
  });

  it("a duplicate key is recognised as one, inside a transaction too", async () => {
    const id = newId();
    const insert = (tx: Queryable) => tx.insertInto("users").values({ id, created_at: new Date() }).execute();
    await insert(kysely());
    const error = await insert(kysely()).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    await expect(transaction(insert)).rejects.toSatisfy(isUniqueViolation);
    // …and the connection (SQLite: the lock) is free again afterwards.
    expect(await kysely().selectFrom("users").select("id").where("id", "=", id).executeTakeFirst()).toEqual({ id });
  });

  it("a statement run again with other arguments answers for those arguments (SQLite caches prepared statements)", async () => {
    const tag = randomBytes(6).toString("hex");
    const keys = [`a-${tag}`, `b-${tag}`, `c-${tag}`];
    for (const key of keys) await kysely().insertInto("rate_limit_buckets").values({ key, count: key.length + keys.indexOf(key), reset_at: Date.now() }).execute();
    const read = (key: string) => kysely().selectFrom("rate_limit_buckets").select(["key", "count"]).where("key", "=", key).executeTakeFirst();
    for (let round = 0; round < 3; round++) {
      for (const [i, key] of keys.entries()) expect(await read(key)).toEqual({ key, count: key.length + i });
    }
    expect(await read(`missing-${tag}`)).toBeUndefined();
  });

  it("64-bit integers go in as integers and come back as numbers", async () => {
    const key = `big-${randomBytes(6).toString("hex")}`;
    const resetAt = Date.now() + 3_600_000;
    await kysely().insertInto("rate_limit_buckets").values({ key, count: 1, reset_at: resetAt }).execute();
    expect(await kysely().selectFrom("rate_limit_buckets").select("reset_at").where("key", "=", key).where("reset_at", "=", resetAt).executeTakeFirst()).toEqual({ reset_at: resetAt });
  });

  it("booleans come back as booleans, false included (SQLite keeps them as 0 and 1)", async () => {
    const ids = [newId(), newId()];
    await kysely()
      .insertInto("oidc_clients")
      .values(ids.map((id, i) => ({ id, name: "bool", secret: null, redirect_uris: "[]", post_logout_redirect_uris: "[]", is_public: i === 1, created_at: new Date() })))
      .execute();
    const rows = await kysely().selectFrom("oidc_clients").select(["id", "is_public"]).where("id", "in", ids).orderBy("is_public", "asc").execute();
    expect(rows).toEqual([
      { id: ids[0], is_public: false },
      { id: ids[1], is_public: true },
    ]);
    await kysely().deleteFrom("oidc_clients").where("id", "in", ids).execute();
  });

  it("ids are 25 characters like Prisma's cuid() and do not repeat", () => {
    const ids = new Set(Array.from({ length: 10_000 }, newId));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });
});
