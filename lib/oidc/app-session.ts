import { inPrisma } from "@/lib/db/kysely";
import { recordEvent } from "@/lib/audit/record-event";
import { config } from "@/lib/config";
import { errors } from "oidc-provider";
import { store, type OidcTx } from "./store";

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
  tx: OidcTx,
  input: { grantId: string; userId: string; clientId: string; ip?: string; userAgent?: string; now: Date },
): Promise<void> {
  const id = appSessionId(input.grantId);
  // One statement (INSERT … ON CONFLICT), so two codes issued at once for one grant cannot both insert.
  const session = await tx.session.upsert({
    where: { id },
    create: {
      id,
      userId: input.userId,
      createdVia: "oidc",
      clientId: input.clientId,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      createdAt: input.now,
      lastSeenAt: input.now,
      expiresAt: expiry(input.now),
    },
    update: { lastSeenAt: input.now, expiresAt: expiry(input.now) },
    select: { userId: true, revokedAt: true },
  });
  if (session.revokedAt || session.userId !== input.userId) {
    // Never revive a session the user signed out (the transaction rolls the touch back); the next request starts a new grant.
    throw new errors.AccessDenied("this app's session was signed out; start signing in again");
  }
  const client = await tx.oidcClient.findUnique({ where: { id: input.clientId }, select: { name: true } });
  await recordEvent(inPrisma(tx), {
    type: "oidc_sign_in",
    userId: input.userId,
    sessionId: id,
    ip: input.ip,
    userAgent: input.userAgent,
    detail: { client_id: input.clientId, client_name: client?.name ?? null },
  });
}

/** Signs the app's session out (its grant was revoked). Idempotent; audited once. */
export async function endAppSession(tx: OidcTx, input: { grantId: string; reason: string; now?: Date }): Promise<void> {
  const id = appSessionId(input.grantId);
  const { count } = await tx.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: input.now ?? new Date(), revokedReason: input.reason } });
  if (count !== 1) return;
  const session = await tx.session.findUniqueOrThrow({ where: { id }, select: { userId: true, clientId: true } });
  const client = session.clientId ? await tx.oidcClient.findUnique({ where: { id: session.clientId }, select: { name: true } }) : null;
  await recordEvent(inPrisma(tx), {
    type: "session_revoked",
    userId: session.userId,
    sessionId: id,
    detail: { reason: input.reason, client_id: session.clientId, client_name: client?.name ?? null },
  });
}

/** "alive" | "ended" (signed out or expired) | "none" (no code was ever issued for this grant). */
export async function appSessionState(grantId: string, userId: string, now = new Date()): Promise<"alive" | "ended" | "none"> {
  const id = appSessionId(grantId);
  const session = await store().session.findUnique({ where: { id }, select: { userId: true, revokedAt: true, expiresAt: true, lastSeenAt: true } });
  if (!session) return "none";
  if (session.userId !== userId || session.revokedAt || session.expiresAt <= now) return "ended";
  // Each use slides the session forward, at minute grain so busy apps do not write on every call.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await store().session.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: now, expiresAt: expiry(now) } });
  }
  return "alive";
}
