import { newId } from "@/lib/db/ids";
import type { Tx } from "@/lib/db/kysely";
import { findOrCreateOwner } from "@/lib/db/sign-ins";
import type { ParsedIdentity } from "@/lib/identity/parse-identity";
import { newUserView, userView, type UserView } from "./user-view";

/**
 * Sign-in and sign-up are one flow: the first verification of an unknown
 * identity creates its user. Answers the user as SPEC §3.2 shows it; a new
 * user's is known without reading it back. (A code sign-in does this inside
 * lib/db/sign-ins.ts's one statement; this is the same inside a transaction.)
 */
export async function findOrCreateUser(
  tx: Tx,
  identity: Pick<ParsedIdentity, "type" | "value">,
  now: Date,
): Promise<{ userId: string; isNewUser: boolean; user: UserView }> {
  const { userId, isNewUser } = await findOrCreateOwner(tx, identity, { userId: newId(), identityId: newId() }, now);
  return { userId, isNewUser, user: isNewUser ? newUserView(userId, identity, now) : await userView(tx, userId) };
}
