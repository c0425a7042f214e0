import { recordEvent } from "@/lib/audit/record-event";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";

type Input = { userId: string; identityId: string; ip?: string; userAgent?: string; sessionId?: string };

/**
 * Removes one of the user's identities while at least one remains. Taking
 * the user's row lock first makes concurrent removals queue up, so the second
 * one counts what the first left behind and the last identity always stays.
 */
export async function removeIdentity(input: Input): Promise<{ value: string }> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`UPDATE users SET created_at = created_at WHERE id = ${input.userId}`;
    const identity = await tx.identity.findFirst({ where: { id: input.identityId, userId: input.userId }, select: { value: true } });
    if (!identity) throw new ApiError("not_found", "This identity is not on your account (it may have been removed already).");
    const others = await tx.identity.count({ where: { userId: input.userId, id: { not: input.identityId } } });
    if (others === 0) throw new ApiError("invalid_request", "This is the only way you can sign in. Add another identity before removing it.");
    const { count } = await tx.identity.deleteMany({ where: { id: input.identityId, userId: input.userId } });
    if (count !== 1) throw new ApiError("not_found", "This identity is not on your account (it may have been removed already).");
    await recordEvent(tx, { type: "identity_removed", userId: input.userId, subject: identity.value, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent });
    return { value: identity.value };
  });
}
