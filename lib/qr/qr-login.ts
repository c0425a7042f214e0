import { recordEvent } from "@/lib/audit/record-event";
import type { Queryable } from "@/lib/db/kysely";
import { findQrLoginByTokenHash, type QrLogin } from "@/lib/db/qr-logins";
import { ApiError } from "@/lib/http/errors";
import { hashToken } from "@/lib/tokens/hash";
import { announceChange } from "./changes";

export type { QrLogin };
export type QrStatus = "pending" | "scanned" | "approved" | "consumed" | "denied" | "expired";

/** Seconds between short polls the screen is told to keep (SPEC §3.4). */
export const POLL_INTERVAL = 2;
/** After approval, the screen that asked has this long to collect its tokens; a long-polling screen takes under a second. */
export const CLAIM_SECONDS = 60;

export const WAITING: readonly string[] = ["pending", "scanned"];

export async function findQrLogin(qrToken: string): Promise<QrLogin | undefined> {
  return findQrLoginByTokenHash(hashToken(qrToken));
}

export function secondsLeft(login: Pick<QrLogin, "expiresAt">, now: Date): number {
  return Math.max(0, Math.ceil((login.expiresAt.getTime() - now.getTime()) / 1000));
}

/** Why the phone cannot scan or decide this login any more: expired (410) or already answered (409). */
export function authorizeRefusal(login: QrLogin, now: Date): ApiError {
  const lapsed = login.status === "expired" || (WAITING.includes(login.status) && login.expiresAt <= now);
  if (lapsed) return new ApiError("expired_token", "This QR code has expired. Show a new one on the other screen and scan again.");
  return new ApiError("qr_already_used", "This QR code has already been used or answered.");
}

export function qrNotFound(): ApiError {
  return new ApiError("qr_not_found", "No sign-in request matches this QR code.");
}

type PhoneStep = { type: "qr_scanned" | "qr_approved" | "qr_denied"; userId: string; sessionId?: string; ip: string; userAgent?: string };

/**
 * Inside the transaction of a phone's scan or decision: its audit row (naming
 * the screen that asked) and the signal that wakes that screen's long poll on
 * any instance.
 */
export async function recordPhoneStep(tx: Queryable, login: QrLogin, step: PhoneStep): Promise<void> {
  await recordEvent(tx, {
    ...step,
    detail: { qr_login: login.id, requester_ip: login.ip, requester_browser: login.browser, requester_os: login.os },
  });
  await announceChange(tx, login.id);
}
