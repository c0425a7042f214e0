import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { kysely, transaction, type Queryable } from "@/lib/db/kysely";
import { noDatabase } from "../support/skip";

/** Another process writing the same SQLite file (tests/support/hold-sqlite-lock.mts): resolves once it holds the write lock. */
function otherProcessWrites(tag: string, holdMs: number): Promise<{ done: Promise<number> }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "../support/hold-sqlite-lock.mts")], {
    env: { ...process.env, TAG: tag, HOLD_MS: String(holdMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const done = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  return new Promise((resolve, reject) => {
    child.stdout.once("data", () => resolve({ done }));
    child.once("exit", (code) => reject(new Error(`the other process exited with ${code} before locking`)));
  });
}

describe.skipIf(noDatabase || config().postgres)("two processes writing one SQLite file", () => {
  afterAll(disconnectDb);

  it("a transaction that reads and then writes waits for the other process's write instead of failing with SQLITE_BUSY", async () => {
    const tag = randomBytes(6).toString("hex");
    const count = (q: Queryable) => q.selectFrom("outbox_messages").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    await count(kysely()); // connected before the other process takes the lock
    const other = await otherProcessWrites(tag, 300);
    // Read first, write later: with a deferred BEGIN the read's snapshot goes stale when the other process commits,
    // and SQLite refuses the write at once (SQLITE_BUSY) however long the busy timeout is.
    await transaction(async (tx) => {
      await count(tx);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await tx.insertInto("outbox_messages").values({ id: newId(), channel: "email", recipient: `mine-${tag}`, body: "x", created_at: new Date() }).execute();
    });
    expect(await other.done).toBe(0);
    expect(await kysely().selectFrom("outbox_messages").select("id").where("recipient", "in", [`mine-${tag}`, `other-${tag}`]).execute()).toHaveLength(2);
  });
});
