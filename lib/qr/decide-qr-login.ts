import { transaction } from "@/lib/db/kysely";
import { markDecided } from "@/lib/db/qr-logins";
import { wakeWaiters } from "./changes";
import { CLAIM_SECONDS, authorizeRefusal, findQrLogin, qrNotFound, recordPhoneStep } from "./qr-login";

type Input = { qrToken: string; decision: "approve" | "deny"; userId: string; sessionId?: string; ip: string; userAgent?: string; now?: Date };

/**
 * The phone's answer (POST /v1/oauth/qr/authorize). Allowed from `pending`
 * (an API client that skips the scan step) or from `scanned` by the account
 * that scanned it, and only before it expires — all in the one guarded update.
 */
export async function decideQrLogin(input: Input): Promise<{ status: "approved" | "denied" }> {
  const now = input.now ?? new Date();
  const login = await findQrLogin(input.qrToken);
  if (!login) throw qrNotFound();
  const approve = input.decision === "approve";
  const status = approve ? "approved" : "denied";

  const decided = await transaction(async (tx) => {
    const claimUntil = approve ? new Date(now.getTime() + CLAIM_SECONDS * 1000) : undefined;
    if (!(await markDecided(tx, { id: login.id, userId: input.userId, status, now, claimUntil }))) return false;
    await recordPhoneStep(tx, login, { type: approve ? "qr_approved" : "qr_denied", userId: input.userId, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent });
    return true;
  });
  if (!decided) {
    const current = (await findQrLogin(input.qrToken)) ?? login;
    throw authorizeRefusal(current, now);
  }
  wakeWaiters(login.id);
  return { status };
}
