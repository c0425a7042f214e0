import { recordEvent } from "@/lib/audit/record-event";
import { countOtherIdentities, deleteOwnIdentity, findOwnIdentity } from "@/lib/db/identities";
import { transaction } from "@/lib/db/kysely";
import { lockUser } from "@/lib/db/users";
import { ApiError } from "@/lib/http/errors";

type Input = { userId: string; identityId: string; ip?: string; userAgent?: string; sessionId?: string };

/**
 * Removes one of the user's identities while at least one remains. Taking
 * the user's row lock first makes concurrent removals queue up, so the second
 * one counts what the first left behind and the last identity always stays.
 */
export async function removeIdentity(input: Input): Promise<{ value: string }> {
  return transaction(async (tx) => {
    await lockUser(tx, input.userId);
    const identity = await findOwnIdentity(tx, input.userId, input.identityId);
    if (!identity) throw new ApiError("not_found", "This identity is not on your account (it may have been removed already).");
    const others = await countOtherIdentities(tx, input.userId, input.identityId);
    if (others === 0) throw new ApiError("invalid_request", "This is the only way you can sign in. Add another identity before removing it.");
    const count = await deleteOwnIdentity(tx, input.userId, input.identityId);
    if (count !== 1) throw new ApiError("not_found", "This identity is not on your account (it may have been removed already).");
    await recordEvent(tx, { type: "identity_removed", userId: input.userId, subject: identity.value, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent });
    return { value: identity.value };
  });
}
