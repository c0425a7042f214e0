import type { Db } from "@/lib/db/client";

export type UserView = {
  id: string;
  identities: { type: string; value: string; verified_at: string }[];
  created_at: string;
};

/** The `user` object of SPEC §3.2, identities oldest first. */
export async function userView(tx: Pick<Db, "user">, userId: string): Promise<UserView> {
  const user = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    include: { identities: { orderBy: { createdAt: "asc" } } },
  });
  return {
    id: user.id,
    identities: user.identities.map((i) => ({ type: i.type, value: i.value, verified_at: i.verifiedAt.toISOString() })),
    created_at: user.createdAt.toISOString(),
  };
}
