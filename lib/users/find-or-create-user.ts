import { newId, sql, type Runner } from "@/lib/db/sql";
import type { ParsedIdentity } from "@/lib/identity/parse-identity";
import { userView, type UserView } from "./user-view";

/**
 * Sign-in and sign-up are one flow: the first verification of an unknown
 * identity creates its user. Answers the user as SPEC §3.2 shows it; a new
 * user's is known without reading it back.
 */
export async function findOrCreateUser(
  tx: Runner,
  identity: Pick<ParsedIdentity, "type" | "value">,
  now: Date,
): Promise<{ userId: string; isNewUser: boolean; user: UserView }> {
  const owner = () => tx.one<{ userId: string }>(sql`SELECT user_id AS "userId" FROM identities WHERE value = ${identity.value}`);
  const existing = await owner();
  if (existing) return { userId: existing.userId, isNewUser: false, user: await userView(tx, existing.userId) };
  const userId = newId();
  await tx.run(sql`INSERT INTO users (id, created_at) VALUES (${userId}, ${now})`);
  const added = await tx.run(sql`
    INSERT INTO identities (id, user_id, type, value, verified_at, created_at)
    VALUES (${newId()}, ${userId}, ${identity.type}, ${identity.value}, ${now}, ${now})
    ON CONFLICT (value) DO NOTHING`);
  if (added === 0) {
    // Another sign-in created this identity's user a moment ago: that user it is.
    await tx.run(sql`DELETE FROM users WHERE id = ${userId}`);
    const winner = await owner();
    if (!winner) throw new Error("an identity that conflicted on insert is gone");
    return { userId: winner.userId, isNewUser: false, user: await userView(tx, winner.userId) };
  }
  const at = now.toISOString();
  return { userId, isNewUser: true, user: { id: userId, identities: [{ type: identity.type, value: identity.value, verified_at: at }], created_at: at } };
}
