import { newId } from "./ids";
import type { Queryable } from "./kysely";

export type IdentityRow = { id: string; userId: string; type: string; value: string; verifiedAt: Date };

/** The identity with this (normalised) value, whoever owns it. */
export async function findIdentityByValue(q: Queryable, value: string): Promise<IdentityRow | undefined> {
  return q.selectFrom("identities").select(["id", "user_id as userId", "type", "value", "verified_at as verifiedAt"]).where("value", "=", value).executeTakeFirst();
}

/**
 * Inserts a verified identity; with `ifAbsent`, nothing happens when its value
 * is taken (ON CONFLICT DO NOTHING) and the answer is false, otherwise a taken
 * value is a unique violation. Answers the id, or undefined when nothing was inserted.
 */
export async function insertIdentity(
  q: Queryable,
  i: { id?: string; userId: string; type: string; value: string; now: Date },
  options: { ifAbsent?: boolean } = {},
): Promise<string | undefined> {
  const id = i.id ?? newId();
  let insert = q.insertInto("identities").values({ id, user_id: i.userId, type: i.type, value: i.value, verified_at: i.now, created_at: i.now });
  if (options.ifAbsent) insert = insert.onConflict((oc) => oc.column("value").doNothing());
  const result = await insert.executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows) === 1 ? id : undefined;
}

/** One of the user's identities. */
export async function findOwnIdentity(q: Queryable, userId: string, id: string): Promise<{ value: string } | undefined> {
  return q.selectFrom("identities").select("value").where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
}

/** How many identities the user has besides `exceptId`. */
export async function countOtherIdentities(q: Queryable, userId: string, exceptId: string): Promise<number> {
  const row = await q.selectFrom("identities").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).where("id", "<>", exceptId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteOwnIdentity(q: Queryable, userId: string, id: string): Promise<number> {
  const result = await q.deleteFrom("identities").where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The user's identities, oldest first. */
export async function listUserIdentities(q: Queryable, userId: string): Promise<Omit<IdentityRow, "userId">[]> {
  return q.selectFrom("identities").select(["id", "type", "value", "verified_at as verifiedAt"]).where("user_id", "=", userId).orderBy("created_at", "asc").orderBy("id", "asc").execute();
}
