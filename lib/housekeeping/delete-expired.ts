import { sweeps } from "@/lib/db/housekeeping";
import { log } from "@/lib/log";

const BATCH = 500;
const MAX_BATCHES_PER_TABLE = 20;

/**
 * Deletes expired rows in small batches by primary key: no statement touches
 * more than BATCH rows or holds a table-wide lock, and instances running it at
 * the same moment only delete what the other has not (deleting twice is a no-op).
 */
export async function deleteExpired(now = new Date()): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const sweep of sweeps(BATCH)) {
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
