import { config } from "@/lib/config";
import { transaction } from "@/lib/db/kysely";
import { markScanned } from "@/lib/db/qr-logins";
import { wakeWaiters } from "./changes";
import { authorizeRefusal, findQrLogin, qrNotFound, recordPhoneStep, secondsLeft, type QrLogin } from "./qr-login";

export type RequesterContext = { browser: string; os: string; ip: string; location: string; created_at: string; expires_in: number };

type Input = { qrToken: string; userId: string; sessionId?: string; ip: string; userAgent?: string; now?: Date };

/**
 * The phone opened the QR (GET /v1/oauth/qr/authorize): pending → scanned,
 * bound to this user, with a fresh window to decide. Opening it again from
 * the same account shows the same screen; any other account gets 409.
 */
export async function scanQrLogin(input: Input): Promise<RequesterContext> {
  const now = input.now ?? new Date();
  const login = await findQrLogin(input.qrToken);
  if (!login) throw qrNotFound();
  if (login.status === "scanned" && login.userId === input.userId && login.expiresAt > now) return contextOf(login, now);
  if (login.status !== "pending" || login.expiresAt <= now) throw authorizeRefusal(login, now);

  const expiresAt = new Date(now.getTime() + config().QR_DECIDE_SECONDS * 1000);
  const scanned = await transaction(async (tx) => {
    if (!(await markScanned(tx, { id: login.id, userId: input.userId, now, expiresAt }))) return false;
    await recordPhoneStep(tx, login, { type: "qr_scanned", userId: input.userId, sessionId: input.sessionId, ip: input.ip, userAgent: input.userAgent });
    return true;
  });
  if (!scanned) {
    // Another request moved it first: if that was this same account scanning, show the screen again.
    const current = await findQrLogin(input.qrToken);
    if (!current) throw qrNotFound();
    if (current.status === "scanned" && current.userId === input.userId && current.expiresAt > now) return contextOf(current, now);
    throw authorizeRefusal(current, now);
  }
  wakeWaiters(login.id);
  return contextOf({ ...login, expiresAt }, now);
}

function contextOf(login: QrLogin, now: Date): RequesterContext {
  return {
    browser: login.browser ?? "Unknown browser",
    os: login.os ?? "Unknown operating system",
    ip: login.ip ?? "unknown",
    location: login.location ?? "Unknown location",
    created_at: login.createdAt.toISOString(),
    expires_in: secondsLeft(login, now),
  };
}
