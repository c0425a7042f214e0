import { inTransaction } from "./store";

/**
 * Unregisters a client and everything it holds: its grants, codes and tokens
 * (their payloads name the client), the consents users gave it, and its
 * sessions on the account page.
 */
export async function removeClient({ clientId, now = new Date() }: { clientId: string; now?: Date }): Promise<{ removed: boolean }> {
  return inTransaction(async (tx) => {
    const { count } = await tx.oidcClient.deleteMany({ where: { id: clientId } });
    if (!count) return { removed: false };
    await tx.oidcPayload.deleteMany({ where: { payload: { contains: `"clientId":${JSON.stringify(clientId)}` } } });
    await tx.session.updateMany({ where: { clientId, createdVia: "oidc", revokedAt: null }, data: { revokedAt: now, revokedReason: "oidc_client_removed" } });
    return { removed: true };
  });
}
