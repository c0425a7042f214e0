import { Provider, errors, type Adapter, type AdapterPayload } from "oidc-provider";
import { consumeOidcPayload, deleteGrantPayloads, deleteOidcPayloads, findOidcPayload, findOidcPayloadBy, upsertOidcPayload, type OidcPayloadRow } from "@/lib/db/oidc-payloads";
import { endAppSession, openAppSession } from "./app-session";
import { findClientMetadata } from "./clients";
import { inTransaction, rowId, store } from "./store";

// Models whose rows belong to a grant; revoking the grant deletes them (as oidc-provider's memory adapter does).
const GRANTABLE = new Set(["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest", "PreAuthorizedCode"]);

function epoch(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The browser request being served, as server.mts described it (for audit rows). */
function requester(): { ip?: string; userAgent?: string } {
  const headers = Provider.ctx?.req.headers;
  const pick = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return { ip: pick(headers?.["x-werify-client-ip"]), userAgent: pick(headers?.["user-agent"]) };
}

/**
 * oidc-provider's persistence (SQLite and PostgreSQL alike, through lib/db/oidc-payloads.ts):
 * one `oidc_payloads` row per artefact, its payload as JSON text. Clients come from `oidc_clients`.
 */
export class OidcAdapter implements Adapter {
  constructor(private readonly name: string) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const now = new Date();
    const values = {
      type: this.name,
      payload: JSON.stringify(payload),
      grantId: GRANTABLE.has(this.name) ? (payload.grantId ?? null) : null,
      userCode: payload.userCode ?? null,
      // Sessions are found by uid; grants by account, for the account page and for revoking an app.
      uid: this.name === "Session" ? (payload.uid ?? null) : this.name === "Grant" ? (payload.accountId ?? null) : null,
      expiresAt: expiresIn ? new Date(now.getTime() + expiresIn * 1000) : null,
    };
    const key = rowId(this.name, id);
    if (this.name !== "AuthorizationCode") {
      await upsertOidcPayload(store(), key, values);
      return;
    }
    // Issuing a code is the moment the user signs in to the app: its session and audit row commit with the code.
    await inTransaction(async (tx) => {
      await upsertOidcPayload(tx, key, values);
      if (payload.grantId && payload.accountId && payload.clientId) {
        await openAppSession(tx, { grantId: payload.grantId, userId: payload.accountId, clientId: payload.clientId, ...requester(), now });
      }
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.name === "Client") return findClientMetadata(id);
    const row = await findOidcPayload(store(), rowId(this.name, id));
    return row ? withConsumed(row) : undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const row = await findOidcPayloadBy(store(), this.name, { uid });
    return row ? withConsumed(row) : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const row = await findOidcPayloadBy(store(), this.name, { userCode });
    return row ? withConsumed(row) : undefined;
  }

  /**
   * One guarded update. oidc-provider checks `consumed` before calling this, but
   * two requests can pass that check together; the loser is a replay, so it
   * fails and revokes the grant, as a second use in sequence would.
   */
  async consume(id: string): Promise<void> {
    const outcome = await consumeOidcPayload(store(), rowId(this.name, id), new Date());
    if (outcome.consumed) return;
    if (outcome.grantId) await revokeGrant(outcome.grantId, "oidc_token_reused");
    throw new errors.InvalidGrant(`${this.name === "RefreshToken" ? "refresh token" : "authorization code"} already used`);
  }

  async destroy(id: string): Promise<void> {
    await deleteOidcPayloads(store(), [rowId(this.name, id)]);
    if (this.name === "Grant") await inTransaction((tx) => endAppSession(tx, { grantId: id, reason: "oidc_grant_revoked" }));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await inTransaction(async (tx) => {
      await deleteGrantPayloads(tx, [this.name], [grantId]);
      await endAppSession(tx, { grantId, reason: "oidc_grant_revoked" });
    });
  }
}

function withConsumed(row: OidcPayloadRow): AdapterPayload {
  const payload = JSON.parse(row.payload) as AdapterPayload;
  if (row.consumedAt) payload.consumed = epoch(row.consumedAt);
  return payload;
}

/** Deletes every artefact of a grant and the grant itself, and signs its app session out. */
export async function revokeGrant(grantId: string, reason: string): Promise<void> {
  await inTransaction(async (tx) => {
    await deleteGrantPayloads(tx, [...GRANTABLE], [grantId]);
    await deleteOidcPayloads(tx, [rowId("Grant", grantId)]);
    await endAppSession(tx, { grantId, reason });
  });
}
