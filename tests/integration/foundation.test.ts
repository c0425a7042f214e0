import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { insertIdentity } from "@/lib/db/identities";
import { isUniqueViolation, kysely } from "@/lib/db/kysely";
import { insertUser } from "@/lib/db/users";
import { checkDatabase } from "@/lib/health/check-database";
import { noDatabase } from "../support/skip";

describe.skipIf(noDatabase)("the database", () => {
  afterAll(disconnectDb);

  it("is reachable, so /readyz reports ready", async () => {
    expect(await checkDatabase()).toBe(true);
  });

  it("refuses a second owner for one identity", async () => {
    const value = `owner-${Date.now()}-${Math.random()}@example.com`;
    const [first, second, now] = [newId(), newId(), new Date()];
    await insertUser(kysely(), first, now);
    await insertUser(kysely(), second, now);
    await insertIdentity(kysely(), { userId: first, type: "email", value, now });
    await expect(insertIdentity(kysely(), { userId: second, type: "email", value, now })).rejects.toSatisfy(isUniqueViolation);
  });
});
