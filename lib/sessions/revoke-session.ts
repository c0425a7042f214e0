import { transaction } from "@/lib/db/kysely";
import { revokeSession as endSession } from "@/lib/db/sessions";
import { recordEvent } from "@/lib/audit/record-event";

/** Ends a session and, with it, every token of its family. Idempotent. */
export async function revokeSession(input: { sessionId: string; reason: string; userId?: string; ip?: string }): Promise<boolean> {
  return transaction(async (tx) => {
    const session = await endSession(tx, { id: input.sessionId, userId: input.userId, reason: input.reason, now: new Date() });
    if (session) await recordEvent(tx, { type: "session_revoked", userId: session.userId, sessionId: input.sessionId, ip: input.ip, detail: { reason: input.reason } });
    return session !== undefined;
  });
}
