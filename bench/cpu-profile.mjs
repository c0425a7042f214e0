// Preloaded into the portal with NODE_OPTIONS=--import (Node refuses
// --cpu-prof there) when `npm run bench -- --profile` runs. Each SIGUSR2
// starts or stops the inspector's sampling profiler; stopping writes
// <CPU_PROFILE_DIR>/<label>.cpuprofile (the format `node --cpu-prof` writes),
// the label read from <CPU_PROFILE_DIR>/label when it started, so the bench
// profiles exactly the window of one workload. <CPU_PROFILE_DIR>/state says
// "running <label>" or "stopped" once a toggle took effect.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { getHeapSpaceStatistics } from "node:v8";

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  // What --cpu-prof does: tell V8 when the event loop waits, so waiting shows as (idle) rather than as the frame that started the profiler.
  process._startProfilerIdleNotifier?.();
  let running = null;
  const stop = () => {
    const label = running;
    running = null;
    // A session on the process's own thread answers synchronously, so this also completes inside an "exit" listener.
    session.post("Profiler.stop", (error, result) => {
      if (!error && result) writeFileSync(join(dir, `${label}.cpuprofile`), JSON.stringify(result.profile));
      // Where the resident memory is at the end of the window: V8 heap spaces, buffers, the rest (wasm, SQLite, code).
      const mb = (n) => Math.round(n / 1048576);
      const usage = process.memoryUsage();
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { sizeMb: mb(s.space_size), usedMb: mb(s.space_used_size) }]));
      writeFileSync(
        join(dir, `${label}.memory.json`),
        JSON.stringify({ rssMb: mb(usage.rss), heapTotalMb: mb(usage.heapTotal), heapUsedMb: mb(usage.heapUsed), externalMb: mb(usage.external), arrayBuffersMb: mb(usage.arrayBuffers), spaces }, null, 2),
      );
      writeFileSync(join(dir, "state"), "stopped");
    });
  };
  process.on("SIGUSR2", () => {
    if (running) return stop();
    let label = String(process.pid);
    try {
      label = readFileSync(join(dir, "label"), "utf8").trim() || label;
    } catch {
      // no label: the pid names the file
    }
    running = label;
    session.post("Profiler.start", () => writeFileSync(join(dir, "state"), `running ${label}`));
  });
  process.on("exit", () => {
    if (running) stop();
  });
}
