import { recordEvent } from "@/lib/audit/record-event";
import { db } from "@/lib/db/client";

type Input = { userId: string; sessionId: string; ip?: string; userAgent?: string; now?: Date };

/** Ends this browser's portal session (and its refresh tokens). Idempotent. */
export async function signOut(input: Input): Promise<void> {
  const now = input.now ?? new Date();
  await db().$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { id: input.sessionId, userId: input.userId, revokedAt: null },
      data: { revokedAt: now, revokedReason: "signed_out" },
    });
    if (count === 1) await recordEvent(tx, { type: "signed_out", userId: input.userId, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent });
  });
}
