import type { Queryable } from "@/lib/db/kysely";
import { deleteOidcPayloads, findOidcPayload, listOidcPayloadsByUid, upsertOidcPayload } from "@/lib/db/oidc-payloads";
import { rowId, store } from "./store";

/** What a user allowed an app, remembered until they remove it from the account page. */
export type Consent = { userId: string; clientId: string; scope: string; claims: string[]; grantedAt: string; updatedAt: string };

const TYPE = "Consent";

function consentKey(userId: string, clientId: string): string {
  return rowId(TYPE, `${userId}:${clientId}`);
}

function parse(payload: string): Consent | null {
  try {
    return JSON.parse(payload) as Consent;
  } catch {
    return null;
  }
}

export async function consentFor({ userId, clientId }: { userId: string; clientId: string }): Promise<Consent | null> {
  const row = await findOidcPayload(store(), consentKey(userId, clientId));
  return row ? parse(row.payload) : null;
}

/** Every app the user allowed, by their `uid` index (rows of this type keep the user id there). */
export async function consentsOf({ userId }: { userId: string }): Promise<Consent[]> {
  const rows = await listOidcPayloadsByUid(store(), TYPE, userId);
  return rows.map((row) => parse(row.payload)).filter((c): c is Consent => c !== null);
}

/** Adds to what the user allowed (a later consent for more scopes widens it, never narrows it silently). */
export async function rememberConsent(tx: Queryable, input: { userId: string; clientId: string; scope: string[]; claims: string[]; now: Date }): Promise<Consent> {
  const id = consentKey(input.userId, input.clientId);
  const previous = await findOidcPayload(tx, id);
  const before = previous ? parse(previous.payload) : null;
  const consent: Consent = {
    userId: input.userId,
    clientId: input.clientId,
    scope: [...new Set([...(before?.scope.split(" ").filter(Boolean) ?? []), ...input.scope])].join(" "),
    claims: [...new Set([...(before?.claims ?? []), ...input.claims])],
    grantedAt: before?.grantedAt ?? input.now.toISOString(),
    updatedAt: input.now.toISOString(),
  };
  await upsertOidcPayload(tx, id, { type: TYPE, uid: input.userId, payload: JSON.stringify(consent) });
  return consent;
}

export async function forgetConsent(tx: Queryable, { userId, clientId }: { userId: string; clientId: string }): Promise<boolean> {
  return (await deleteOidcPayloads(tx, [consentKey(userId, clientId)])) === 1;
}
