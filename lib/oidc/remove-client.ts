import { deleteOidcClient } from "@/lib/db/oidc-clients";
import { deleteClientPayloads } from "@/lib/db/oidc-payloads";
import { revokeAppSessions } from "@/lib/db/sessions";
import { inTransaction } from "./store";

/**
 * Unregisters a client and everything it holds: its grants, codes and tokens
 * (their payloads name the client), the consents users gave it, and its
 * sessions on the account page.
 */
export async function removeClient({ clientId, now = new Date() }: { clientId: string; now?: Date }): Promise<{ removed: boolean }> {
  return inTransaction(async (tx) => {
    if (!(await deleteOidcClient(tx, clientId))) return { removed: false };
    await deleteClientPayloads(tx, clientId);
    await revokeAppSessions(tx, { clientId }, "oidc_client_removed", now);
    return { removed: true };
  });
}
