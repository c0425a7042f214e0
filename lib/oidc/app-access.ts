import { inPrisma } from "@/lib/db/kysely";
import { recordEvent } from "@/lib/audit/record-event";
import { db } from "@/lib/db/client";
import { consentsOf, forgetConsent } from "./consents";
import { describeScopes } from "./scopes";
import { inTransaction, rowId } from "./store";

export type AppAccess = {
  clientId: string;
  name: string;
  allowed: { scope: string; label: string; short: string }[];
  allowedSince: Date | null;
  activeSessions: number;
  lastUsedAt: Date | null;
};

const GRANT_ARTEFACTS = ["AccessToken", "AuthorizationCode", "RefreshToken"];

/** The apps that can use this account: what each was allowed, and where it is signed in now. */
export async function listAppAccess({ userId, now = new Date() }: { userId: string; now?: Date }): Promise<AppAccess[]> {
  const [consents, sessions] = await Promise.all([
    consentsOf({ userId }),
    db().session.findMany({
      where: { userId, createdVia: "oidc", revokedAt: null, expiresAt: { gt: now }, clientId: { not: null } },
      select: { clientId: true, lastSeenAt: true },
    }),
  ]);
  const ids = [...new Set([...consents.map((c) => c.clientId), ...sessions.map((s) => s.clientId as string)])];
  if (!ids.length) return [];
  const clients = await db().oidcClient.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const names = new Map(clients.map((c) => [c.id, c.name]));
  return ids
    .map((clientId) => {
      const consent = consents.find((c) => c.clientId === clientId);
      const mine = sessions.filter((s) => s.clientId === clientId);
      const lastUsed = mine.reduce<Date | null>((max, s) => (!max || s.lastSeenAt > max ? s.lastSeenAt : max), null);
      return {
        clientId,
        name: names.get(clientId) ?? clientId,
        allowed: consent ? describeScopes(consent.scope) : [],
        allowedSince: consent ? new Date(consent.grantedAt) : null,
        activeSessions: mine.length,
        lastUsedAt: lastUsed,
      };
    })
    .sort((a, b) => (b.lastUsedAt ?? b.allowedSince ?? new Date(0)).getTime() - (a.lastUsedAt ?? a.allowedSince ?? new Date(0)).getTime());
}

type RevokeInput = { userId: string; clientId: string; sessionId?: string; ip?: string; userAgent?: string; now?: Date };

/**
 * "Remove access" on the account page: forgets the consent, deletes every grant
 * of this user and app with its codes and tokens, and signs the app's sessions
 * out, in one transaction. The app's next request must ask again.
 */
export async function revokeAppAccess(input: RevokeInput): Promise<{ removed: boolean }> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx) => {
    const grants = await tx.oidcPayload.findMany({ where: { type: "Grant", uid: input.userId }, select: { id: true, payload: true } });
    const grantIds = grants
      .filter((g) => (JSON.parse(g.payload) as { clientId?: string }).clientId === input.clientId)
      .map((g) => g.id.slice("Grant:".length));
    if (grantIds.length) {
      await tx.oidcPayload.deleteMany({ where: { type: { in: GRANT_ARTEFACTS }, grantId: { in: grantIds } } });
      await tx.oidcPayload.deleteMany({ where: { id: { in: grantIds.map((id) => rowId("Grant", id)) } } });
    }
    const ended = await tx.session.updateMany({
      where: { userId: input.userId, clientId: input.clientId, createdVia: "oidc", revokedAt: null },
      data: { revokedAt: now, revokedReason: "oidc_access_removed" },
    });
    const forgotten = await forgetConsent(tx, { userId: input.userId, clientId: input.clientId });
    const removed = forgotten || grantIds.length > 0 || ended.count > 0;
    if (removed) {
      const client = await tx.oidcClient.findUnique({ where: { id: input.clientId }, select: { name: true } });
      await recordEvent(inPrisma(tx), {
        type: "oidc_consent_revoked",
        userId: input.userId,
        sessionId: input.sessionId,
        ip: input.ip,
        userAgent: input.userAgent,
        detail: { client_id: input.clientId, client_name: client?.name ?? null, sessions: ended.count },
      });
    }
    return { removed };
  });
}
