import { recordEvent } from "@/lib/audit/record-event";
import { transaction } from "@/lib/db/kysely";
import { revokeSessions } from "@/lib/db/sessions";

type Input = { userId: string; sessionId?: string; ip?: string; userAgent?: string; now?: Date };

/** Ends every session of the user at once — browsers, apps and API clients alike. */
export async function signOutEverywhere(input: Input): Promise<{ sessions: number }> {
  const now = input.now ?? new Date();
  return transaction(async (tx) => {
    const count = await revokeSessions(tx, { userId: input.userId }, "signed_out_everywhere", now);
    await recordEvent(tx, { type: "signed_out_everywhere", userId: input.userId, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent, detail: { sessions: count } });
    return { sessions: count };
  });
}
