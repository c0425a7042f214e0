import type { Queryable } from "./kysely";

/** One oidc-provider artefact (or a portal row kept beside them: consents, provider keys). `payload` is JSON text (sealed for provider keys). */
export type OidcPayloadRow = { id: string; type: string; payload: string; grantId: string | null; consumedAt: Date | null };

export type OidcPayloadValues = { type: string; payload: string; grantId?: string | null; userCode?: string | null; uid?: string | null; expiresAt?: Date | null };

const COLUMNS = ["id", "type", "payload", "grant_id as grantId", "consumed_at as consumedAt"] as const;

function columns(v: OidcPayloadValues) {
  return { type: v.type, payload: v.payload, grant_id: v.grantId ?? null, user_code: v.userCode ?? null, uid: v.uid ?? null, expires_at: v.expiresAt ?? null };
}

/** Saves a payload by id, replacing every column but `consumed_at`: one INSERT … ON CONFLICT. */
export async function upsertOidcPayload(q: Queryable, id: string, values: OidcPayloadValues): Promise<void> {
  const set = columns(values);
  await q
    .insertInto("oidc_payloads")
    .values({ id, ...set })
    .onConflict((oc) => oc.column("id").doUpdateSet(set))
    .execute();
}

/** Inserts a payload; a taken id is a unique violation. */
export async function insertOidcPayload(q: Queryable, id: string, values: OidcPayloadValues): Promise<void> {
  await q.insertInto("oidc_payloads").values({ id, ...columns(values) }).execute();
}

export async function findOidcPayload(q: Queryable, id: string): Promise<OidcPayloadRow | undefined> {
  return q.selectFrom("oidc_payloads").select(COLUMNS).where("id", "=", id).executeTakeFirst();
}

/** The first payload of a type by its `uid` or `user_code` index. */
export async function findOidcPayloadBy(q: Queryable, type: string, by: { uid: string } | { userCode: string }): Promise<OidcPayloadRow | undefined> {
  const query = q.selectFrom("oidc_payloads").select(COLUMNS).where("type", "=", type);
  return ("uid" in by ? query.where("uid", "=", by.uid) : query.where("user_code", "=", by.userCode)).executeTakeFirst();
}

/** Every payload of a type by its `uid` index (grants and consents keep the user id there). */
export async function listOidcPayloadsByUid(q: Queryable, type: string, uid: string): Promise<OidcPayloadRow[]> {
  return q.selectFrom("oidc_payloads").select(COLUMNS).where("type", "=", type).where("uid", "=", uid).execute();
}

/**
 * Marks a payload consumed, guarded by `consumed_at IS NULL`: one statement.
 * Answers whether this call consumed it, and otherwise the row's grant (undefined when there is no row).
 */
export async function consumeOidcPayload(q: Queryable, id: string, now: Date): Promise<{ consumed: true } | { consumed: false; grantId: string | null | undefined }> {
  const result = await q.updateTable("oidc_payloads").set({ consumed_at: now }).where("id", "=", id).where("consumed_at", "is", null).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { consumed: true };
  const row = await q.selectFrom("oidc_payloads").select("grant_id as grantId").where("id", "=", id).executeTakeFirst();
  return { consumed: false, grantId: row?.grantId };
}

/** Deletes payloads by id; answers how many it deleted. */
export async function deleteOidcPayloads(q: Queryable, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const result = await q.deleteFrom("oidc_payloads").where("id", "in", ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes the payloads of these types that belong to these grants. */
export async function deleteGrantPayloads(q: Queryable, types: string[], grantIds: string[]): Promise<void> {
  if (!types.length || !grantIds.length) return;
  await q.deleteFrom("oidc_payloads").where("type", "in", types).where("grant_id", "in", grantIds).execute();
}

/** Deletes every payload whose JSON names this client (`"clientId":"…"`): its grants, codes, tokens and consents. */
export async function deleteClientPayloads(q: Queryable, clientId: string): Promise<void> {
  await q.deleteFrom("oidc_payloads").where("payload", "like", `%"clientId":${JSON.stringify(clientId)}%`).execute();
}

