import { listUserIdentities } from "@/lib/db/identities";
import { kysely } from "@/lib/db/kysely";

export type IdentityRow = { id: string; type: string; value: string; verifiedAt: Date };

/** The ways this user can sign in, oldest first. */
export async function listIdentities({ userId }: { userId: string }): Promise<IdentityRow[]> {
  return listUserIdentities(kysely(), userId);
}
