import { recordEvent } from "@/lib/audit/record-event";
import { transaction } from "@/lib/db/kysely";
import { revokeSessions } from "@/lib/db/sessions";

type Input = { userId: string; sessionId: string; ip?: string; userAgent?: string; now?: Date };

/** Ends this browser's portal session (and its refresh tokens). Idempotent. */
export async function signOut(input: Input): Promise<void> {
  const now = input.now ?? new Date();
  await transaction(async (tx) => {
    const count = await revokeSessions(tx, { id: input.sessionId, userId: input.userId }, "signed_out", now);
    if (count === 1) await recordEvent(tx, { type: "signed_out", userId: input.userId, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent });
  });
}
