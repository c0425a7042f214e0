import pg from "pg";
import { config } from "@/lib/config";
import { LISTEN_QR_CHANGES, QR_CHANGE_CHANNEL, changedSince, notifyQrChange } from "@/lib/db/qr-logins";
import type { Queryable } from "@/lib/db/kysely";
import { log } from "@/lib/log";

/**
 * How a held long poll learns that its QR login changed, on whichever
 * instance the change happened:
 * - this process: the transition wakes its waiters directly after commit;
 * - PostgreSQL: the transition sends NOTIFY werify_qr (payload: the row id,
 *   never a token) and one LISTEN connection per process wakes the waiters;
 * - SQLite (other processes on the same file): one query per process every
 *   500 ms for rows changed lately covers every held poll at once.
 * While waiting, a poll costs a map entry and one timer — no query.
 *
 * It also keeps the places of held polls (takeHoldSlot), so that no single
 * QR login or client address can take the places every other screen needs.
 */
export type WaitOutcome = "changed" | "timeout" | "shutdown" | "aborted";

type Waiter = { id: string; status: string; settle: (outcome: WaitOutcome) => void };

/** A held long poll's place, given back when the poll answers. */
export type HoldSlot = { release: () => void };

type Watch = {
  waiters: Map<string, Set<Waiter>>;
  /** places of held long polls: per QR login, per client, and in all (kept as they come and go, never counted per poll) */
  perLogin: Map<string, number>;
  perClient: Map<string, number>;
  held: number;
  /** row id → when a change to it was last signalled, to catch a change that lands between a read and the wait */
  recent: Map<string, number>;
  lastPrune: number;
  listener?: pg.Client;
  connecting: boolean;
  reconnectTimer?: NodeJS.Timeout;
  sqliteTimer?: NodeJS.Timeout;
  /** SQLite check: when it last ran, and the newest change it has seen per row */
  lastCheck: number;
  seen: Map<string, number>;
  checking: boolean;
  stopping: boolean;
};

const CHANNEL = QR_CHANGE_CHANNEL;
const SQLITE_CHECK_MS = 500;
const SQLITE_COMMIT_MARGIN_MS = 5000;
const RECENT_MS = 10_000;

// Kept on globalThis: route handlers, pages and server actions are separate bundles and must share one registry.
const holder = globalThis as typeof globalThis & { __werifyQrWatch?: Watch; __werifyShutdown?: () => void };

function watch(): Watch {
  if (!holder.__werifyQrWatch) {
    holder.__werifyQrWatch = {
      waiters: new Map(),
      perLogin: new Map(),
      perClient: new Map(),
      held: 0,
      recent: new Map(),
      lastPrune: Date.now(),
      connecting: false,
      lastCheck: Date.now(),
      seen: new Map(),
      checking: false,
      stopping: false,
    };
    const previous = holder.__werifyShutdown;
    holder.__werifyShutdown = () => {
      previous?.();
      answerAllForShutdown();
    };
  }
  return holder.__werifyQrWatch;
}

/**
 * Resolves when the row may have left `status` ("changed"), at `until`
 * ("timeout"), when the server shuts down, or when the client goes away.
 * `readAt` is when the caller read `status`: a change signalled after it
 * settles the wait at once.
 */
export function waitForChange(input: { id: string; status: string; until: number; readAt: number; signal?: AbortSignal }): Promise<WaitOutcome> {
  const w = watch();
  if (w.stopping) return Promise.resolve("shutdown");
  if (input.signal?.aborted) return Promise.resolve("aborted");
  if ((w.recent.get(input.id) ?? -Infinity) >= input.readAt) return Promise.resolve("changed");
  return new Promise<WaitOutcome>((resolve) => {
    let done = false;
    const onAbort = () => waiter.settle("aborted");
    const waiter: Waiter = {
      id: input.id,
      status: input.status,
      settle(outcome) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        input.signal?.removeEventListener("abort", onAbort);
        const set = w.waiters.get(input.id);
        set?.delete(waiter);
        if (set?.size === 0) w.waiters.delete(input.id);
        resolve(outcome);
      },
    };
    const timer = setTimeout(() => waiter.settle("timeout"), Math.max(0, input.until - Date.now()));
    input.signal?.addEventListener("abort", onAbort, { once: true });
    let set = w.waiters.get(input.id);
    if (!set) w.waiters.set(input.id, (set = new Set()));
    set.add(waiter);
    startWatching(w);
  });
}

/** Inside the transaction of a transition: tells other instances (PostgreSQL delivers NOTIFY on commit). */
export async function announceChange(tx: Queryable, id: string): Promise<void> {
  await notifyQrChange(tx, id);
}

/** After the transition committed: wakes this process's polls of that row. */
export function wakeWaiters(id: string): void {
  const w = watch();
  const now = Date.now();
  w.recent.set(id, now);
  if (now - w.lastPrune > RECENT_MS) {
    w.lastPrune = now;
    for (const [key, at] of w.recent) if (now - at > RECENT_MS) w.recent.delete(key);
  }
  const set = w.waiters.get(id);
  if (set) for (const waiter of [...set]) waiter.settle("changed");
}

/**
 * A place for one long poll of QR login `id`, asked by `client` (RULES' per-IP
 * key, so addresses are grouped as every per-IP limit groups them), or which
 * cap says no: QR_HELD_POLLS_PER_LOGIN per login (a couple, so a screen whose
 * last connection died unnoticed can still poll at once), QR_HELD_POLLS_PER_IP
 * per client, QR_MAX_HELD_POLLS in this process.
 */
export function takeHoldSlot(input: { id: string; client: string }): HoldSlot | "login_full" | "client_full" | "server_full" {
  const w = watch();
  const cfg = config();
  if ((w.perLogin.get(input.id) ?? 0) >= cfg.QR_HELD_POLLS_PER_LOGIN) return "login_full";
  if ((w.perClient.get(input.client) ?? 0) >= cfg.QR_HELD_POLLS_PER_IP) return "client_full";
  if (w.held >= cfg.QR_MAX_HELD_POLLS) return "server_full";
  count(w.perLogin, input.id, 1);
  count(w.perClient, input.client, 1);
  w.held++;
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      count(w.perLogin, input.id, -1);
      count(w.perClient, input.client, -1);
      w.held--;
    },
  };
}

function count(counts: Map<string, number>, key: string, by: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

/** How many long polls this process holds right now. */
export function heldPolls(): number {
  return watch().held;
}

/** Closes the LISTEN connection and the SQLite check (tests; shutdown). Held polls are left alone. */
export async function stopWatching(): Promise<void> {
  const w = watch();
  clearInterval(w.sqliteTimer);
  clearTimeout(w.reconnectTimer);
  w.sqliteTimer = undefined;
  w.reconnectTimer = undefined;
  const listener = w.listener;
  w.listener = undefined;
  await listener?.end().catch(() => undefined);
}

function wakeAll(w: Watch): void {
  for (const set of [...w.waiters.values()]) for (const waiter of [...set]) waiter.settle("changed");
}

export function answerAllForShutdown(): void {
  const w = watch();
  w.stopping = true;
  for (const set of [...w.waiters.values()]) for (const waiter of [...set]) waiter.settle("shutdown");
  void stopWatching();
}

function startWatching(w: Watch): void {
  if (config().postgres) {
    if (!w.listener && !w.connecting && !w.reconnectTimer) void listen(w);
  } else if (!w.sqliteTimer) {
    w.lastCheck = Date.now();
    w.sqliteTimer = setInterval(() => void checkSqlite(w), SQLITE_CHECK_MS);
    w.sqliteTimer.unref();
  }
}

async function listen(w: Watch): Promise<void> {
  w.connecting = true;
  const client = new pg.Client({ connectionString: config().DATABASE_URL });
  const drop = (reason: string) => {
    if (w.listener !== client) return;
    w.listener = undefined;
    log("warn", "qr change listener lost; reconnecting", { reason });
    client.end().catch(() => undefined);
    scheduleReconnect(w);
  };
  client.on("notification", (message) => {
    if (message.channel === CHANNEL && message.payload) wakeWaiters(message.payload);
  });
  client.on("error", (error) => drop(error.message));
  client.on("end", () => drop("connection ended"));
  try {
    await client.connect();
    await client.query(LISTEN_QR_CHANGES);
    w.listener = client;
    // Anything that changed before LISTEN took effect is re-read once.
    wakeAll(w);
  } catch (error) {
    log("warn", "qr change listener could not connect; retrying", { error: error instanceof Error ? error.message : String(error) });
    await client.end().catch(() => undefined);
    scheduleReconnect(w);
  } finally {
    w.connecting = false;
  }
}

function scheduleReconnect(w: Watch): void {
  if (w.stopping || w.reconnectTimer) return;
  w.reconnectTimer = setTimeout(() => {
    w.reconnectTimer = undefined;
    if (w.waiters.size > 0) void listen(w);
  }, 1000);
  w.reconnectTimer.unref();
}

async function checkSqlite(w: Watch): Promise<void> {
  if (w.checking) return;
  if (w.waiters.size === 0) {
    clearInterval(w.sqliteTimer);
    w.sqliteTimer = undefined;
    return;
  }
  w.checking = true;
  const startedAt = Date.now();
  try {
    // Every transition stamps scanned_at, decided_at or consumed_at (expiry needs no stamp: each poll has a timer at
    // expires_at), so one indexed query over live rows finds what changed lately — its cost follows the number of
    // changes, not of held polls. The margin covers a transaction that commits a while after it took its time.
    const since = new Date(w.lastCheck - SQLITE_COMMIT_MARGIN_MS);
    const rows = await changedSince(since);
    for (const row of rows) {
      const at = Math.max(row.scannedAt?.getTime() ?? 0, row.decidedAt?.getTime() ?? 0, row.consumedAt?.getTime() ?? 0);
      if ((w.seen.get(row.id) ?? 0) >= at) continue;
      w.seen.set(row.id, at);
      if (w.waiters.has(row.id)) wakeWaiters(row.id);
    }
    for (const [id, at] of w.seen) if (at < startedAt - 2 * SQLITE_COMMIT_MARGIN_MS) w.seen.delete(id);
    w.lastCheck = startedAt;
  } catch (error) {
    log("warn", "qr change check failed", { error: error instanceof Error ? error.message : String(error) });
  } finally {
    w.checking = false;
  }
}
