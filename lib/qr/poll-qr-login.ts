import { recordEvent } from "@/lib/audit/record-event";
import { issueBrowserHandoff } from "@/lib/auth/browser-handoff";
import { transaction } from "@/lib/db/kysely";
import { findPolledById, findPolledByTokenHash, markConsumed, markExpired, stampPoll, type PolledQrLogin } from "@/lib/db/qr-logins";
import { ApiError } from "@/lib/http/errors";
import { RULES, enforce } from "@/lib/ratelimit/limits";
import { createSession } from "@/lib/sessions/create-session";
import { hashToken, safeEqual } from "@/lib/tokens/hash";
import { tokenResponse, type TokenResponse } from "@/lib/tokens/token-response";
import { userView } from "@/lib/users/user-view";
import { announceChange, takeHoldSlot, waitForChange, wakeWaiters } from "./changes";
import { POLL_INTERVAL, WAITING, secondsLeft } from "./qr-login";

type QrLogin = PolledQrLogin;

export type QrPollAnswer =
  | { status: "pending" | "scanned"; interval: number; expires_in: number }
  | ({ status: "approved"; handoff: string } & TokenResponse);

type Input = {
  qrToken: string;
  pollToken?: string;
  /** seconds to hold the request while nothing changes (long poll); 0 or absent answers at once */
  wait?: number;
  ip: string;
  userAgent?: string;
  now?: Date;
  /** aborted when the asking screen goes away */
  signal?: AbortSignal;
};

/**
 * The asking screen's poll (POST /v1/oauth/qr). An approved login is handed
 * over exactly once: one guarded update approved → consumed, and only its
 * winner opens the session and gets tokens.
 */
export async function pollQrLogin(input: Input): Promise<QrPollAnswer> {
  let now = input.now ?? new Date();
  // Counted before the tokens are checked, so guessing costs the same as polling.
  await enforce("qrPollPerIp", input.ip, now.getTime());
  const readAt = Date.now();
  let login = await findForPoll(input.qrToken, input.pollToken);
  const wait = input.wait ?? 0;
  if (isWaiting(login, now)) {
    if (wait > 0) {
      login = await holdLongPoll(login, readAt + wait * 1000, readAt, input);
      now = new Date();
    } else {
      await throttle(login, now);
    }
  }
  return answer(login, now, input);
}

async function findForPoll(qrToken: string, pollToken: string | undefined): Promise<QrLogin> {
  const login = await findPolledByTokenHash(hashToken(qrToken));
  const presented = hashToken(pollToken ?? "");
  // Unknown QR, missing and wrong poll token: one answer, so the poll reveals nothing about a QR to someone without its poll token.
  if (!login || !pollToken || !safeEqual(presented, login.pollTokenHash)) {
    throw new ApiError("invalid_request", "Unknown `qr_token`, or the poll token is missing or wrong.");
  }
  return login;
}

function isWaiting(login: QrLogin, now: Date): boolean {
  return WAITING.includes(login.status) && login.expiresAt > now;
}

/** Short polls at most once a second: one guarded update of the last poll time. */
async function throttle(login: QrLogin, now: Date): Promise<void> {
  if (!(await stampPoll(login.id, now))) {
    throw new ApiError("slow_down", `Poll at most once a second (every ${POLL_INTERVAL} s is enough), or send \`wait\` for a long poll.`, { retryAfter: 1 });
  }
}

/**
 * Each held poll is a socket and ~15 KB of memory, so it needs a place: a
 * couple per QR login, QR_HELD_POLLS_PER_IP per client address,
 * QR_MAX_HELD_POLLS in all. Without one the screen is asked to come back,
 * rather than the server run out or one client keep every other screen waiting.
 */
async function holdLongPoll(login: QrLogin, deadline: number, readAt: number, input: Input): Promise<QrLogin> {
  const slot = takeHoldSlot({ id: login.id, client: RULES.qrPollPerIp.key(input.ip) });
  if (slot === "server_full") {
    throw new ApiError("temporarily_unavailable", "This server is holding as many waiting QR screens as it can. Poll again shortly.", { retryAfter: 2 });
  }
  if (slot === "login_full") {
    throw new ApiError("slow_down", "This QR code already has as many long polls waiting as it may. Poll again when one answers.", { retryAfter: 2 });
  }
  if (slot === "client_full") {
    throw new ApiError("slow_down", "Your network address is holding as many waiting QR polls as it may. Poll again shortly.", { retryAfter: 2 });
  }
  try {
    return await holdUntilChange(login, deadline, readAt, input.signal);
  } finally {
    slot.release();
  }
}

/**
 * Holds a long poll until the status leaves the one read, the deadline, the
 * login's expiry or shutdown. Wake-ups only trigger a re-read; nothing is
 * queried while nothing happens.
 */
async function holdUntilChange(login: QrLogin, deadline: number, readAt: number, signal?: AbortSignal): Promise<QrLogin> {
  let current = login;
  let since = readAt;
  for (;;) {
    const until = Math.min(deadline, current.expiresAt.getTime());
    if (until <= Date.now()) return current;
    const outcome = await waitForChange({ id: current.id, status: current.status, until, readAt: since, signal });
    if (outcome === "shutdown") {
      throw new ApiError("temporarily_unavailable", "The server is restarting. Poll again.", { retryAfter: 1 });
    }
    // A timer may fire a millisecond early: go round, and the check above returns once the time has really come
    // (a poll woken at its code's expiry must answer 410, not "pending").
    if (outcome === "timeout") continue;
    if (outcome !== "changed") return current;
    since = Date.now();
    const fresh = await findPolledById(current.id);
    if (!fresh || fresh.status !== current.status) return fresh ?? current;
    current = fresh;
  }
}

async function answer(login: QrLogin, now: Date, input: Input): Promise<QrPollAnswer> {
  switch (login.status) {
    case "pending":
    case "scanned":
      if (login.expiresAt <= now) return expire(login, now, input);
      return { status: login.status, interval: POLL_INTERVAL, expires_in: secondsLeft(login, now) };
    case "approved":
      if (login.expiresAt <= now) return expire(login, now, input);
      return consume(login, now, input);
    case "denied":
      throw new ApiError("access_denied", "The sign-in was denied on the phone.");
    case "consumed":
      throw consumed();
    default:
      throw expired();
  }
}

async function consume(login: QrLogin, now: Date, input: Input): Promise<QrPollAnswer> {
  const won = await transaction(async (tx) => {
    const consumed = await markConsumed(tx, login.id, now);
    if (!consumed) return null;
    const { userId } = consumed;
    if (!userId) throw new Error("an approved QR login has no user");
    const { sessionId, refreshToken } = await createSession(tx, {
      userId,
      via: "qr",
      ip: input.ip,
      userAgent: input.userAgent,
      clientId: login.clientId ?? undefined,
      now,
    });
    await recordEvent(tx, { type: "sign_in", userId, sessionId, ip: input.ip, userAgent: input.userAgent, detail: { via: "qr", qr_login: login.id } });
    await announceChange(tx, login.id);
    return { sessionId, refreshToken, user: await userView(tx, userId) };
  });
  if (!won) {
    // Another poll collected it a moment ago, or it lapsed.
    const current = await findPolledById(login.id);
    throw current?.status === "consumed" ? consumed() : expired();
  }
  wakeWaiters(login.id);
  // A browser screen signs itself in with the handoff (next-auth's "portal" sign-in); the tokens are for apps.
  const handoff = await issueBrowserHandoff({ userId: won.user.id, sessionId: won.sessionId });
  return { status: "approved", ...(await tokenResponse({ ...won, isNewUser: false })), handoff };
}

/** pending, scanned or an uncollected approval past its time → expired, guarded: an approval that landed first is answered instead. */
async function expire(login: QrLogin, now: Date, input: Input): Promise<QrPollAnswer> {
  const changed = await transaction(async (tx) => {
    const expired = await markExpired(tx, login.id, now);
    if (expired) await announceChange(tx, login.id);
    return expired;
  });
  if (changed) {
    wakeWaiters(login.id);
    throw expired();
  }
  const current = await findPolledById(login.id);
  if (!current) throw expired();
  // No loop: answer() only comes back here for a row that is past its time.
  if (current.expiresAt <= now && (WAITING.includes(current.status) || current.status === "approved")) throw expired();
  return answer(current, now, input);
}

function expired(): ApiError {
  return new ApiError("expired_token", "This QR code has expired. Request a new one.");
}

function consumed(): ApiError {
  return new ApiError("qr_consumed", "This QR login has already been used to sign in.");
}
