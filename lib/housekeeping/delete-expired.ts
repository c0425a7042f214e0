import { db } from "@/lib/db/client";
import { log } from "@/lib/log";

const BATCH = 500;
const MAX_BATCHES_PER_TABLE = 20;
// Expired codes and QR logins stay a little while so a late verify still hears "expired", not "wrong".
const GRACE_MS = 15 * 60_000;
const OUTBOX_KEEP_MS = 24 * 3_600_000;
const SESSION_KEEP_MS = 30 * 86_400_000;

type Sweep = { name: string; ids: (now: Date) => Promise<string[]>; remove: (ids: string[]) => Promise<number> };

const sweeps: Sweep[] = [
  {
    name: "challenges",
    ids: async (now) =>
      (await db().challenge.findMany({ where: { expiresAt: { lt: new Date(now.getTime() - GRACE_MS) } }, select: { id: true }, take: BATCH })).map((r) => r.id),
    remove: async (ids) => (await db().challenge.deleteMany({ where: { id: { in: ids } } })).count,
  },
  {
    name: "qr_logins",
    ids: async (now) =>
      (await db().qrLogin.findMany({ where: { expiresAt: { lt: new Date(now.getTime() - GRACE_MS) } }, select: { id: true }, take: BATCH })).map((r) => r.id),
    remove: async (ids) => (await db().qrLogin.deleteMany({ where: { id: { in: ids } } })).count,
  },
  {
    name: "rate_limit_buckets",
    ids: async (now) =>
      (await db().rateLimitBucket.findMany({ where: { resetAt: { lt: BigInt(now.getTime()) } }, select: { key: true }, take: BATCH })).map((r) => r.key),
    remove: async (keys) => (await db().rateLimitBucket.deleteMany({ where: { key: { in: keys } } })).count,
  },
  {
    name: "oidc_payloads",
    ids: async (now) =>
      (await db().oidcPayload.findMany({ where: { expiresAt: { lt: now } }, select: { id: true }, take: BATCH })).map((r) => r.id),
    remove: async (ids) => (await db().oidcPayload.deleteMany({ where: { id: { in: ids } } })).count,
  },
  {
    name: "refresh_tokens",
    ids: async (now) =>
      (await db().refreshToken.findMany({ where: { expiresAt: { lt: now } }, select: { id: true }, take: BATCH })).map((r) => r.id),
    remove: async (ids) => (await db().refreshToken.deleteMany({ where: { id: { in: ids } } })).count,
  },
  {
    name: "sessions",
    ids: async (now) =>
      (
        await db().session.findMany({
          where: { OR: [{ expiresAt: { lt: new Date(now.getTime() - SESSION_KEEP_MS) } }, { revokedAt: { lt: new Date(now.getTime() - SESSION_KEEP_MS) } }] },
          select: { id: true },
          take: BATCH,
        })
      ).map((r) => r.id),
    remove: async (ids) => (await db().session.deleteMany({ where: { id: { in: ids } } })).count,
  },
  {
    name: "outbox_messages",
    ids: async (now) =>
      (await db().outboxMessage.findMany({ where: { createdAt: { lt: new Date(now.getTime() - OUTBOX_KEEP_MS) } }, select: { id: true }, take: BATCH })).map((r) => r.id),
    remove: async (ids) => (await db().outboxMessage.deleteMany({ where: { id: { in: ids } } })).count,
  },
];

/**
 * Deletes expired rows in small batches by primary key: no statement touches
 * more than BATCH rows or holds a table-wide lock, and instances running it at
 * the same moment only delete what the other has not (deleting twice is a no-op).
 */
export async function deleteExpired(now = new Date()): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const sweep of sweeps) {
    deleted[sweep.name] = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_TABLE; batch++) {
      const ids = await sweep.ids(now);
      if (!ids.length) break;
      deleted[sweep.name] += await sweep.remove(ids);
      if (ids.length < BATCH) break;
    }
  }
  return deleted;
}

let timer: NodeJS.Timeout | undefined;

/** Runs deleteExpired about once a minute in this process; jitter keeps instances from sweeping in lockstep. */
export function scheduleHousekeeping(everyMs = 60_000): void {
  if (timer) return;
  const run = async () => {
    try {
      const deleted = await deleteExpired();
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      if (total) log("info", "housekeeping", { deleted });
    } catch (error) {
      log("warn", "housekeeping failed", { error: error instanceof Error ? error.name : "error" });
    }
    timer = setTimeout(run, everyMs * (0.75 + Math.random() * 0.5));
    timer.unref();
  };
  timer = setTimeout(run, 5_000 + Math.random() * 5_000);
  timer.unref();
}
