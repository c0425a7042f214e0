import { rowId, store, type OidcTx } from "./store";

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
  const row = await store().oidcPayload.findUnique({ where: { id: consentKey(userId, clientId) } });
  return row ? parse(row.payload) : null;
}

/** Every app the user allowed, by their `uid` index (rows of this type keep the user id there). */
export async function consentsOf({ userId }: { userId: string }): Promise<Consent[]> {
  const rows = await store().oidcPayload.findMany({ where: { type: TYPE, uid: userId } });
  return rows.map((row) => parse(row.payload)).filter((c): c is Consent => c !== null);
}

/** Adds to what the user allowed (a later consent for more scopes widens it, never narrows it silently). */
export async function rememberConsent(tx: OidcTx, input: { userId: string; clientId: string; scope: string[]; claims: string[]; now: Date }): Promise<Consent> {
  const id = consentKey(input.userId, input.clientId);
  const previous = await tx.oidcPayload.findUnique({ where: { id } });
  const before = previous ? parse(previous.payload) : null;
  const consent: Consent = {
    userId: input.userId,
    clientId: input.clientId,
    scope: [...new Set([...(before?.scope.split(" ").filter(Boolean) ?? []), ...input.scope])].join(" "),
    claims: [...new Set([...(before?.claims ?? []), ...input.claims])],
    grantedAt: before?.grantedAt ?? input.now.toISOString(),
    updatedAt: input.now.toISOString(),
  };
  const data = { type: TYPE, uid: input.userId, payload: JSON.stringify(consent) };
  await tx.oidcPayload.upsert({ where: { id }, create: { id, ...data }, update: data });
  return consent;
}

export async function forgetConsent(tx: OidcTx, { userId, clientId }: { userId: string; clientId: string }): Promise<boolean> {
  const { count } = await tx.oidcPayload.deleteMany({ where: { id: consentKey(userId, clientId) } });
  return count === 1;
}
