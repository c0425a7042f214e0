import { recordEvent } from "@/lib/audit/record-event";
import { kysely } from "@/lib/db/kysely";
import { oidcClientName, oidcClientNames } from "@/lib/db/oidc-clients";
import { deleteGrantPayloads, deleteOidcPayloads, listOidcPayloadsByUid } from "@/lib/db/oidc-payloads";
import { listLiveAppSessions, revokeAppSessions } from "@/lib/db/sessions";
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
    listLiveAppSessions(userId, now),
  ]);
  const ids = [...new Set([...consents.map((c) => c.clientId), ...sessions.map((s) => s.clientId)])];
  if (!ids.length) return [];
  const names = await oidcClientNames(kysely(), ids);
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
    const grants = await listOidcPayloadsByUid(tx, "Grant", input.userId);
    const grantIds = grants
      .filter((g) => (JSON.parse(g.payload) as { clientId?: string }).clientId === input.clientId)
      .map((g) => g.id.slice("Grant:".length));
    if (grantIds.length) {
      await deleteGrantPayloads(tx, GRANT_ARTEFACTS, grantIds);
      await deleteOidcPayloads(tx, grantIds.map((id) => rowId("Grant", id)));
    }
    const ended = (await revokeAppSessions(tx, { userId: input.userId, clientId: input.clientId }, "oidc_access_removed", now)).length;
    const forgotten = await forgetConsent(tx, { userId: input.userId, clientId: input.clientId });
    const removed = forgotten || grantIds.length > 0 || ended > 0;
    if (removed) {
      const clientName = await oidcClientName(tx, input.clientId);
      await recordEvent(tx, {
        type: "oidc_consent_revoked",
        userId: input.userId,
        sessionId: input.sessionId,
        ip: input.ip,
        userAgent: input.userAgent,
        detail: { client_id: input.clientId, client_name: clientName ?? null, sessions: ended },
      });
    }
    return { removed };
  });
}
