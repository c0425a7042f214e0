import { sql } from "kysely";
import { config } from "@/lib/config";
import { newId } from "./ids";
import { kysely, type Queryable } from "./kysely";

/** A QR login as the portal reads it (camelCase). */
export type QrLogin = {
  id: string;
  qrTokenHash: string;
  pollTokenHash: string;
  status: string;
  userId: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  location: string | null;
  createdAt: Date;
  expiresAt: Date;
  scannedAt: Date | null;
  decidedAt: Date | null;
  consumedAt: Date | null;
  lastPolledAt: Date | null;
};

/** What a poll reads of a QR login. */
export type PolledQrLogin = Pick<QrLogin, "id" | "pollTokenHash" | "status" | "clientId" | "expiresAt">;

const ALL = [
  "id",
  "qr_token_hash as qrTokenHash",
  "poll_token_hash as pollTokenHash",
  "status",
  "user_id as userId",
  "client_id as clientId",
  "ip",
  "user_agent as userAgent",
  "browser",
  "os",
  "location",
  "created_at as createdAt",
  "expires_at as expiresAt",
  "scanned_at as scannedAt",
  "decided_at as decidedAt",
  "consumed_at as consumedAt",
  "last_polled_at as lastPolledAt",
] as const;
const POLLED = ["id", "poll_token_hash as pollTokenHash", "status", "client_id as clientId", "expires_at as expiresAt"] as const;

export async function insertQrLogin(l: Omit<QrLogin, "id" | "userId" | "scannedAt" | "decidedAt" | "consumedAt" | "lastPolledAt">): Promise<void> {
  await kysely()
    .insertInto("qr_logins")
    .values({
      id: newId(),
      qr_token_hash: l.qrTokenHash,
      poll_token_hash: l.pollTokenHash,
      status: l.status,
      client_id: l.clientId,
      ip: l.ip,
      user_agent: l.userAgent,
      browser: l.browser,
      os: l.os,
      location: l.location,
      created_at: l.createdAt,
      expires_at: l.expiresAt,
    })
    .execute();
}

export async function findQrLoginByTokenHash(qrTokenHash: string): Promise<QrLogin | undefined> {
  return kysely().selectFrom("qr_logins").select(ALL).where("qr_token_hash", "=", qrTokenHash).executeTakeFirst();
}

export async function findPolledByTokenHash(qrTokenHash: string): Promise<PolledQrLogin | undefined> {
  return kysely().selectFrom("qr_logins").select(POLLED).where("qr_token_hash", "=", qrTokenHash).executeTakeFirst();
}

export async function findPolledById(id: string): Promise<PolledQrLogin | undefined> {
  return kysely().selectFrom("qr_logins").select(POLLED).where("id", "=", id).executeTakeFirst();
}

/** Stamps the poll time unless the last poll was under a second ago: true when it did. */
export async function stampPoll(id: string, now: Date): Promise<boolean> {
  const result = await kysely()
    .updateTable("qr_logins")
    .set({ last_polled_at: now })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_polled_at", "is", null), eb("last_polled_at", "<=", new Date(now.getTime() - 1000))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** pending → scanned by `userId`, guarded. */
export async function markScanned(q: Queryable, input: { id: string; userId: string; now: Date; expiresAt: Date }): Promise<boolean> {
  const result = await q
    .updateTable("qr_logins")
    .set({ status: "scanned", user_id: input.userId, scanned_at: input.now, expires_at: input.expiresAt })
    .where("id", "=", input.id)
    .where("status", "=", "pending")
    .where("expires_at", ">", input.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** pending (or scanned by this user) → approved/denied, guarded; an approval gets a new claim deadline. */
export async function markDecided(q: Queryable, input: { id: string; userId: string; status: "approved" | "denied"; now: Date; claimUntil?: Date }): Promise<boolean> {
  const result = await q
    .updateTable("qr_logins")
    .set({ status: input.status, user_id: input.userId, decided_at: input.now, ...(input.claimUntil ? { expires_at: input.claimUntil } : {}) })
    .where("id", "=", input.id)
    .where("expires_at", ">", input.now)
    .where((eb) => eb.or([eb("status", "=", "pending"), eb.and([eb("status", "=", "scanned"), eb("user_id", "=", input.userId)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** approved → consumed, guarded: the approving user for the one caller that won it. */
export async function markConsumed(q: Queryable, id: string, now: Date): Promise<{ userId: string | null } | undefined> {
  return q
    .updateTable("qr_logins")
    .set({ status: "consumed", consumed_at: now })
    .where("id", "=", id)
    .where("status", "=", "approved")
    .where("expires_at", ">", now)
    .returning("user_id as userId")
    .executeTakeFirst();
}

/** pending, scanned or approved past its time → expired, guarded. */
export async function markExpired(q: Queryable, id: string, now: Date): Promise<boolean> {
  const result = await q
    .updateTable("qr_logins")
    .set({ status: "expired" })
    .where("id", "=", id)
    .where("status", "in", ["pending", "scanned", "approved"])
    .where("expires_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Live logins stamped scanned, decided or consumed after `since` (the SQLite change check). */
export async function changedSince(since: Date) {
  return kysely()
    .selectFrom("qr_logins")
    .select(["id", "scanned_at as scannedAt", "decided_at as decidedAt", "consumed_at as consumedAt"])
    .where("expires_at", ">", since)
    .where((eb) => eb.or([eb("scanned_at", ">", since), eb("decided_at", ">", since), eb("consumed_at", ">", since)]))
    .execute();
}

/** The channel of QR change notices (PostgreSQL NOTIFY; the payload is a row id, never a token). */
export const QR_CHANGE_CHANNEL = "werify_qr";

/** Inside a transition's transaction: NOTIFY other instances (PostgreSQL delivers it on commit; SQLite: nothing). */
export async function notifyQrChange(q: Queryable, id: string): Promise<void> {
  // ::text: the adapter cannot read a result column of type void.
  if (config().postgres) await sql`SELECT pg_notify(${QR_CHANGE_CHANNEL}, ${id})::text`.execute(q);
}

/** The statement a listening connection sends to receive the notices. */
export const LISTEN_QR_CHANGES = `LISTEN ${QR_CHANGE_CHANNEL}`;
