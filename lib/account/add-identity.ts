import { recordEvent } from "@/lib/audit/record-event";
import { isUniqueViolation, newId, sql } from "@/lib/db/sql";
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
      const existing = await tx.one<AddedIdentity & { userId: string }>(sql`
        SELECT id, user_id AS "userId", type, value, verified_at AS "verifiedAt" FROM identities WHERE value = ${identity.value}`);
      if (existing && existing.userId !== input.userId) throw takenElsewhere();
      if (existing) return { id: existing.id, type: existing.type, value: existing.value, verifiedAt: existing.verifiedAt };
      const created = { id: newId(), type: identity.type, value: identity.value, verifiedAt: now };
      await tx.run(sql`
        INSERT INTO identities (id, user_id, type, value, verified_at, created_at)
        VALUES (${created.id}, ${input.userId}, ${created.type}, ${created.value}, ${now}, ${now})`);
      await recordEvent(tx, { type: "identity_added", userId: input.userId, subject: identity.value, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent, detail: { type: identity.type } });
      return created;
    });
  } catch (error) {
    // Someone else verified the same identity at the same moment: the unique index decided.
    if (isUniqueViolation(error)) throw takenElsewhere();
    throw error;
  }
}
