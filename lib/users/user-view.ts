import type { Queryable } from "@/lib/db/kysely";
import type { UserRow } from "@/lib/db/sign-ins";
import { userWithIdentities } from "@/lib/db/users";

export type UserView = {
  id: string;
  identities: { type: string; value: string; verified_at: string }[];
  created_at: string;
};

/** The `user` object of SPEC §3.2, identities oldest first: one statement. */
export async function userView(tx: Queryable, userId: string): Promise<UserView> {
  return userViewOf(userId, await userWithIdentities(tx, userId));
}

/** The view of rows as userWithIdentities answers them: one per identity, oldest first. */
export function userViewOf(userId: string, rows: UserRow[]): UserView {
  if (!rows.length) throw new Error(`user ${userId} not found`);
  return {
    id: userId,
    identities: rows.flatMap((i) => (i.type && i.value && i.verifiedAt ? [{ type: i.type, value: i.value, verified_at: iso(i.verifiedAt) }] : [])),
    created_at: iso(rows[0].createdAt),
  };
}

/** A user just created with its first identity: known without reading it back. */
export function newUserView(userId: string, identity: { type: string; value: string }, now: Date): UserView {
  const at = now.toISOString();
  return { id: userId, identities: [{ type: identity.type, value: identity.value, verified_at: at }], created_at: at };
}

/** A date as the row decoder gives it, or as text (e.g. when read back through a JSON value). */
function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
