import { db } from "@/lib/db/client";

export type IdentityRow = { id: string; type: string; value: string; verifiedAt: Date };

/** The ways this user can sign in, oldest first. */
export async function listIdentities({ userId }: { userId: string }): Promise<IdentityRow[]> {
  return db().identity.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, type: true, value: true, verifiedAt: true },
  });
}
