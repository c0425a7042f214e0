import { on, sql, type PrismaRaw, type Runner } from "@/lib/db/sql";

export type UserView = {
  id: string;
  identities: { type: string; value: string; verified_at: string }[];
  created_at: string;
};

/** The `user` object of SPEC §3.2, identities oldest first: one statement. */
export async function userView(tx: Runner | PrismaRaw, userId: string): Promise<UserView> {
  const rows = await on(tx).rows<{ createdAt: Date; type: string | null; value: string | null; verifiedAt: Date | null }>(sql`
    SELECT u.created_at AS "createdAt", i.type, i.value, i.verified_at AS "verifiedAt"
    FROM users u LEFT JOIN identities i ON i.user_id = u.id
    WHERE u.id = ${userId}
    ORDER BY i.created_at ASC, i.id ASC`);
  if (!rows.length) throw new Error(`user ${userId} not found`);
  return {
    id: userId,
    identities: rows.flatMap((i) => (i.type && i.value && i.verifiedAt ? [{ type: i.type, value: i.value, verified_at: iso(i.verifiedAt) }] : [])),
    created_at: iso(rows[0].createdAt),
  };
}

/** Prisma's raw path may hand dates back as Date or as text. */
function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
