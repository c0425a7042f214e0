import { db } from "@/lib/db/client";
import { recordEvent } from "@/lib/audit/record-event";

/** Ends a session and, with it, every token of its family. Idempotent. */
export async function revokeSession(input: { sessionId: string; reason: string; userId?: string; ip?: string }): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { id: input.sessionId, revokedAt: null, ...(input.userId ? { userId: input.userId } : {}) },
      data: { revokedAt: new Date(), revokedReason: input.reason },
    });
    if (count === 1) {
      const session = await tx.session.findUniqueOrThrow({ where: { id: input.sessionId }, select: { userId: true } });
      await recordEvent(tx, { type: "session_revoked", userId: session.userId, sessionId: input.sessionId, ip: input.ip, detail: { reason: input.reason } });
    }
    return count === 1;
  });
}
