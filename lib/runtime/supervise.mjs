// The supervisor of server.mts: forks the HTTP workers (node:cluster shares
// the listening socket between them), replaces any worker that dies, and on
// SIGTERM or SIGINT lets each worker finish what it holds before exiting.
import cluster from "node:cluster";

const STOP_TIMEOUT_MS = 10_000;
/** A worker dying this often means it cannot start: wait a second between tries instead of spinning. */
const CRASH_WINDOW_MS = 10_000;
const CRASHES_BEFORE_BACKOFF = 5;

export function supervise({ workers, log }) {
  const count = Math.max(1, Math.floor(workers) || 1);
  let stopping = false;
  const crashes = [];

  const start = () => {
    const worker = cluster.fork();
    worker.on("online", () => log("info", "worker started", { worker: worker.id, pid: worker.process.pid }));
  };

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log("info", "all workers stopped", {});
        process.exit(0);
      }
      return;
    }
    // Its own last log line says why when it could write one ("worker crashed"); a kill or an abort says it here.
    log("error", "worker died; starting another", { worker: worker.id, pid: worker.process.pid, code, signal });
    const now = Date.now();
    crashes.push(now);
    while (crashes.length && crashes[0] < now - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > CRASHES_BEFORE_BACKOFF) setTimeout(start, 1000);
    else start();
  });

  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {});
    log("info", "stopping workers", { signal, workers: alive.length });
    if (alive.length === 0) process.exit(0);
    for (const worker of alive) worker?.process.kill(signal);
    setTimeout(() => {
      log("error", "workers did not stop in time; killing them", {});
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  log("info", "supervisor started", { pid: process.pid, workers: count });
  for (let i = 0; i < count; i++) start();
}
