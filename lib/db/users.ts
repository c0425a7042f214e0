import type { Queryable } from "./kysely";

export async function insertUser(q: Queryable, id: string, now: Date): Promise<void> {
  await q.insertInto("users").values({ id, created_at: now }).execute();
}

export async function deleteUser(q: Queryable, id: string): Promise<void> {
  await q.deleteFrom("users").where("id", "=", id).execute();
}

/**
 * Takes the user's row lock inside a transaction (a no-op update), so that
 * transactions changing the same user's identities queue up.
 */
export async function lockUser(q: Queryable, id: string): Promise<void> {
  await q.updateTable("users").set((eb) => ({ created_at: eb.ref("created_at") })).where("id", "=", id).execute();
}

/** A user with its identities oldest first, one row per identity (one row with null identity columns for none). */
export async function userWithIdentities(q: Queryable, userId: string) {
  return q
    .selectFrom("users as u")
    .leftJoin("identities as i", "i.user_id", "u.id")
    .select(["u.created_at as createdAt", "i.type", "i.value", "i.verified_at as verifiedAt"])
    .where("u.id", "=", userId)
    .orderBy("i.created_at", "asc")
    .orderBy("i.id", "asc")
    .execute();
}
