import type { Queryable } from "@/lib/db/kysely";
import { userWithIdentities } from "@/lib/db/users";

export type UserView = {
  id: string;
  identities: { type: string; value: string; verified_at: string }[];
  created_at: string;
};

/** The `user` object of SPEC §3.2, identities oldest first: one statement. */
export async function userView(tx: Queryable, userId: string): Promise<UserView> {
  const rows = await userWithIdentities(tx, userId);
  if (!rows.length) throw new Error(`user ${userId} not found`);
  return {
    id: userId,
    identities: rows.flatMap((i) => (i.type && i.value && i.verifiedAt ? [{ type: i.type, value: i.value, verified_at: iso(i.verifiedAt) }] : [])),
    created_at: iso(rows[0].createdAt),
  };
}

/** Dates from the Prisma bridge (inPrisma) may come back as text. */
function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
