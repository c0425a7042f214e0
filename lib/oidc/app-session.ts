import type { Queryable } from "@/lib/db/kysely";
import { oidcClientName } from "@/lib/db/oidc-clients";
import { findSession, openOrTouchSession, revokeAppSessions, slideSession } from "@/lib/db/sessions";
import { recordEvent } from "@/lib/audit/record-event";
import { config } from "@/lib/config";
import { errors } from "oidc-provider";
import { store } from "./store";

/**
 * A third-party site signed in as the user is a portal session too (via
 * "oidc"), one per grant: the account page lists it with the app's name and
 * can sign it out, which stops the app's tokens at once. Its id is derived from
 * the grant id, so tokens (which carry the grant id) find it without a lookup table.
 */
export function appSessionId(grantId: string): string {
  return `oidc_${grantId}`;
}

function expiry(now: Date): Date {
  return new Date(now.getTime() + config().REFRESH_TOKEN_TTL_DAYS * 86_400_000);
}

/** Opens (or refreshes) the app's session when an authorization code is issued, and audits the sign-in. */
export async function openAppSession(
  tx: Queryable,
  input: { grantId: string; userId: string; clientId: string; ip?: string; userAgent?: string; now: Date },
): Promise<void> {
  const id = appSessionId(input.grantId);
  // One statement (INSERT … ON CONFLICT), so two codes issued at once for one grant cannot both insert.
  const session = await openOrTouchSession(tx, {
    id,
    userId: input.userId,
    via: "oidc",
    clientId: input.clientId,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    now: input.now,
    expiresAt: expiry(input.now),
  });
  if (session.revokedAt || session.userId !== input.userId) {
    // Never revive a session the user signed out (the transaction rolls the touch back); the next request starts a new grant.
    throw new errors.AccessDenied("this app's session was signed out; start signing in again");
  }
  const clientName = await oidcClientName(tx, input.clientId);
  await recordEvent(tx, {
    type: "oidc_sign_in",
    userId: input.userId,
    sessionId: id,
    ip: input.ip,
    userAgent: input.userAgent,
    detail: { client_id: input.clientId, client_name: clientName ?? null },
  });
}

/** Signs the app's session out (its grant was revoked). Idempotent; audited once. */
export async function endAppSession(tx: Queryable, input: { grantId: string; reason: string; now?: Date }): Promise<void> {
  const id = appSessionId(input.grantId);
  const [session] = await revokeAppSessions(tx, { id }, input.reason, input.now ?? new Date());
  if (!session) return;
  const clientName = session.clientId ? await oidcClientName(tx, session.clientId) : undefined;
  await recordEvent(tx, {
    type: "session_revoked",
    userId: session.userId,
    sessionId: id,
    detail: { reason: input.reason, client_id: session.clientId, client_name: clientName ?? null },
  });
}

/** "alive" | "ended" (signed out or expired) | "none" (no code was ever issued for this grant). */
export async function appSessionState(grantId: string, userId: string, now = new Date()): Promise<"alive" | "ended" | "none"> {
  const id = appSessionId(grantId);
  const session = await findSession(store(), id);
  if (!session) return "none";
  if (session.userId !== userId || session.revokedAt || session.expiresAt <= now) return "ended";
  // Each use slides the session forward, at minute grain so busy apps do not write on every call.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await slideSession(store(), id, now, expiry(now));
  return "alive";
}
