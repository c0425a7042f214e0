import { recordEvent } from "@/lib/audit/record-event";
import { db } from "@/lib/db/client";

type Input = { userId: string; sessionId?: string; ip?: string; userAgent?: string; now?: Date };

/** Ends every session of the user at once — browsers, apps and API clients alike. */
export async function signOutEverywhere(input: Input): Promise<{ sessions: number }> {
  const now = input.now ?? new Date();
  return db().$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { userId: input.userId, revokedAt: null },
      data: { revokedAt: now, revokedReason: "signed_out_everywhere" },
    });
    await recordEvent(tx, { type: "signed_out_everywhere", userId: input.userId, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent, detail: { sessions: count } });
    return { sessions: count };
  });
}
