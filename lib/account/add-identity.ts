import { recordEvent } from "@/lib/audit/record-event";
import { findIdentityByValue, insertIdentity } from "@/lib/db/identities";
import { isUniqueViolation } from "@/lib/db/kysely";
import { ApiError } from "@/lib/http/errors";
import { verifyCode } from "@/lib/otp/verify-code";

type Input = { userId: string; id: string; code: string; challengeId?: string; ip: string; userAgent?: string; sessionId?: string; now?: Date };
export type AddedIdentity = { id: string; type: string; value: string; verifiedAt: Date };

function takenElsewhere(): ApiError {
  return new ApiError("invalid_identity", "This identity belongs to another account. Sign in with it there and remove it first, then add it here.");
}

/**
 * Adds a verified identity to the signed-in user. Only challenges started for
 * this user count; an identity owned by someone else changes nothing (the
 * code stays unused and no row is written).
 */
export async function addIdentity(input: Input): Promise<AddedIdentity> {
  try {
    return await verifyCode({ id: input.id, code: input.code, challengeId: input.challengeId, ip: input.ip, userAgent: input.userAgent, userId: input.userId, now: input.now }, async (tx, { identity, now }) => {
      const existing = await findIdentityByValue(tx, identity.value);
      if (existing && existing.userId !== input.userId) throw takenElsewhere();
      if (existing) return { id: existing.id, type: existing.type, value: existing.value, verifiedAt: existing.verifiedAt };
      const id = await insertIdentity(tx, { userId: input.userId, type: identity.type, value: identity.value, now });
      if (!id) throw new Error("an identity insert without ON CONFLICT inserted nothing");
      const created = { id, type: identity.type, value: identity.value, verifiedAt: now };
      await recordEvent(tx, { type: "identity_added", userId: input.userId, subject: identity.value, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent, detail: { type: identity.type } });
      return created;
    });
  } catch (error) {
    // Someone else verified the same identity at the same moment: the unique index decided.
    if (isUniqueViolation(error)) throw takenElsewhere();
    throw error;
  }
}
