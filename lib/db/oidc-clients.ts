import { kysely, type Queryable } from "./kysely";

/** A registered OpenID Connect client; the URI lists are JSON text, the secret sealed (lib/oidc/seal.ts). */
export type OidcClientRow = { id: string; name: string; secret: string | null; redirectUris: string; postLogoutRedirectUris: string; isPublic: boolean; createdAt: Date };

const COLUMNS = ["id", "name", "secret", "redirect_uris as redirectUris", "post_logout_redirect_uris as postLogoutRedirectUris", "is_public as isPublic", "created_at as createdAt"] as const;

export async function findOidcClient(id: string): Promise<OidcClientRow | undefined> {
  return kysely().selectFrom("oidc_clients").select(COLUMNS).where("id", "=", id).executeTakeFirst();
}

/** Every client, oldest first. */
export async function listOidcClients(): Promise<OidcClientRow[]> {
  return kysely().selectFrom("oidc_clients").select(COLUMNS).orderBy("created_at", "asc").execute();
}

/** A client's registered name, or undefined for an unknown client. */
export async function oidcClientName(q: Queryable, id: string): Promise<string | undefined> {
  return (await q.selectFrom("oidc_clients").select("name").where("id", "=", id).executeTakeFirst())?.name;
}

/** The registered names of these clients, by id. */
export async function oidcClientNames(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await q.selectFrom("oidc_clients").select(["id", "name"]).where("id", "in", ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function insertOidcClient(
  q: Queryable,
  c: { id: string; name: string; secret: string | null; redirectUris: string; postLogoutRedirectUris: string; isPublic: boolean; now: Date },
): Promise<void> {
  await q
    .insertInto("oidc_clients")
    .values({ id: c.id, name: c.name, secret: c.secret, redirect_uris: c.redirectUris, post_logout_redirect_uris: c.postLogoutRedirectUris, is_public: c.isPublic, created_at: c.now })
    .execute();
}

/** Deletes a client; answers how many rows it deleted (0 for an unknown client). */
export async function deleteOidcClient(q: Queryable, id: string): Promise<number> {
  const result = await q.deleteFrom("oidc_clients").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows);
}
