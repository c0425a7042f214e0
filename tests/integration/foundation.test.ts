import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { checkDatabase } from "@/lib/health/check-database";
import { noDatabase } from "../support/skip";

describe.skipIf(noDatabase)("the database", () => {
  afterAll(disconnectDb);

  it("is reachable, so /readyz reports ready", async () => {
    expect(await checkDatabase()).toBe(true);
  });

  it("refuses a second owner for one identity", async () => {
    const value = `owner-${Date.now()}-${Math.random()}@example.com`;
    const first = await db().user.create({ data: {} });
    const second = await db().user.create({ data: {} });
    await db().identity.create({ data: { userId: first.id, type: "email", value, verifiedAt: new Date() } });
    await expect(db().identity.create({ data: { userId: second.id, type: "email", value, verifiedAt: new Date() } })).rejects.toThrow();
  });
});
