import { findIdentityByValue, insertIdentity } from "@/lib/db/identities";
import { newId } from "@/lib/db/ids";
import type { Tx } from "@/lib/db/kysely";
import { deleteUser, insertUser } from "@/lib/db/users";
import type { ParsedIdentity } from "@/lib/identity/parse-identity";
import { userView, type UserView } from "./user-view";

/**
 * Sign-in and sign-up are one flow: the first verification of an unknown
 * identity creates its user. Answers the user as SPEC §3.2 shows it; a new
 * user's is known without reading it back.
 */
export async function findOrCreateUser(
  tx: Tx,
  identity: Pick<ParsedIdentity, "type" | "value">,
  now: Date,
): Promise<{ userId: string; isNewUser: boolean; user: UserView }> {
  const owner = () => findIdentityByValue(tx, identity.value);
  const existing = await owner();
  if (existing) return { userId: existing.userId, isNewUser: false, user: await userView(tx, existing.userId) };
  const userId = newId();
  await insertUser(tx, userId, now);
  const added = await insertIdentity(tx, { userId, type: identity.type, value: identity.value, now }, { ifAbsent: true });
  if (!added) {
    // Another sign-in created this identity's user a moment ago: that user it is.
    await deleteUser(tx, userId);
    const winner = await owner();
    if (!winner) throw new Error("an identity that conflicted on insert is gone");
    return { userId: winner.userId, isNewUser: false, user: await userView(tx, winner.userId) };
  }
  const at = now.toISOString();
  return { userId, isNewUser: true, user: { id: userId, identities: [{ type: identity.type, value: identity.value, verified_at: at }], created_at: at } };
}
