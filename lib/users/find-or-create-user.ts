import type { Db } from "@/lib/db/client";
import type { ParsedIdentity } from "@/lib/identity/parse-identity";

/** Sign-in and sign-up are one flow: the first verification of an unknown identity creates its user. */
export async function findOrCreateUser(
  tx: Pick<Db, "identity" | "user">,
  identity: Pick<ParsedIdentity, "type" | "value">,
  now: Date,
): Promise<{ userId: string; isNewUser: boolean }> {
  const existing = await tx.identity.findUnique({ where: { value: identity.value }, select: { userId: true } });
  if (existing) return { userId: existing.userId, isNewUser: false };
  const user = await tx.user.create({
    data: { createdAt: now, identities: { create: { type: identity.type, value: identity.value, verifiedAt: now, createdAt: now } } },
    select: { id: true },
  });
  return { userId: user.id, isNewUser: true };
}
