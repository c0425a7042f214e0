import { kysely } from "./kysely";

/** One table's expired rows: a batch of their keys, and the delete of those keys. */
export type Sweep = { name: string; ids: (now: Date) => Promise<string[]>; remove: (ids: string[]) => Promise<number> };

// Expired codes and QR logins stay a little while so a late verify still hears "expired", not "wrong".
const GRACE_MS = 15 * 60_000;
const OUTBOX_KEEP_MS = 24 * 3_600_000;
const SESSION_KEEP_MS = 30 * 86_400_000;

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const deleted = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

/** The housekeeping statements, table by table (lib/housekeeping/delete-expired.ts runs them in batches). */
export function sweeps(batch: number): Sweep[] {
  const db = kysely();
  return [
    {
      name: "challenges",
      ids: async (now) => (await db.selectFrom("challenges").select("id").where("expires_at", "<", ago(now, GRACE_MS)).limit(batch).execute()).map((r) => r.id),
      remove: async (ids) => deleted(await db.deleteFrom("challenges").where("id", "in", ids).executeTakeFirst()),
    },
    {
      name: "qr_logins",
      ids: async (now) => (await db.selectFrom("qr_logins").select("id").where("expires_at", "<", ago(now, GRACE_MS)).limit(batch).execute()).map((r) => r.id),
      remove: async (ids) => deleted(await db.deleteFrom("qr_logins").where("id", "in", ids).executeTakeFirst()),
    },
    {
      name: "rate_limit_buckets",
      ids: async (now) => (await db.selectFrom("rate_limit_buckets").select("key").where("reset_at", "<", now.getTime()).limit(batch).execute()).map((r) => r.key),
      remove: async (keys) => deleted(await db.deleteFrom("rate_limit_buckets").where("key", "in", keys).executeTakeFirst()),
    },
    {
      name: "oidc_payloads",
      ids: async (now) => (await db.selectFrom("oidc_payloads").select("id").where("expires_at", "<", now).limit(batch).execute()).map((r) => r.id),
      remove: async (ids) => deleted(await db.deleteFrom("oidc_payloads").where("id", "in", ids).executeTakeFirst()),
    },
    {
      name: "refresh_tokens",
      ids: async (now) => (await db.selectFrom("refresh_tokens").select("id").where("expires_at", "<", now).limit(batch).execute()).map((r) => r.id),
      remove: async (ids) => deleted(await db.deleteFrom("refresh_tokens").where("id", "in", ids).executeTakeFirst()),
    },
    {
      name: "sessions",
      ids: async (now) =>
        (
          await db
            .selectFrom("sessions")
            .select("id")
            .where((eb) => eb.or([eb("expires_at", "<", ago(now, SESSION_KEEP_MS)), eb("revoked_at", "<", ago(now, SESSION_KEEP_MS))]))
            .limit(batch)
            .execute()
        ).map((r) => r.id),
      remove: async (ids) => deleted(await db.deleteFrom("sessions").where("id", "in", ids).executeTakeFirst()),
    },
    {
      name: "outbox_messages",
      ids: async (now) => (await db.selectFrom("outbox_messages").select("id").where("created_at", "<", ago(now, OUTBOX_KEEP_MS)).limit(batch).execute()).map((r) => r.id),
      remove: async (ids) => deleted(await db.deleteFrom("outbox_messages").where("id", "in", ids).executeTakeFirst()),
    },
  ];
}
