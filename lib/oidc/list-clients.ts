import { listOidcClients } from "@/lib/db/oidc-clients";

export type ClientSummary = { id: string; name: string; redirectUris: string[]; postLogoutRedirectUris: string[]; isPublic: boolean; createdAt: Date };

export async function listClients(): Promise<ClientSummary[]> {
  const rows = await listOidcClients();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    redirectUris: JSON.parse(row.redirectUris) as string[],
    postLogoutRedirectUris: JSON.parse(row.postLogoutRedirectUris) as string[],
    isPublic: row.isPublic,
    createdAt: row.createdAt,
  }));
}
