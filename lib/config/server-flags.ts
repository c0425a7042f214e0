/**
 * How server.mts is run (scripts/start.ts, and the e2e and bench portals).
 *
 * - A bounded old space makes V8 collect before it grows: left alone, the heap
 *   reached ~400 MB under steady API load while ~150 MB of it was live.
 * - A smaller young generation trades a little GC time for ~20 MB.
 * - Two malloc arenas instead of one per thread keep native memory from
 *   fragmenting across libuv's and V8's threads.
 *
 * Together: peak RSS under `npm run bench` 636 MB → ~370 MB, CPU within the
 * SPEC §11 targets. Held long polls are capped (QR_MAX_HELD_POLLS, ~15 KB of heap
 * each) so waiting screens can never fill the heap; raise both together.
 */
export const DEFAULT_MAX_HEAP_MB = 256;

export function serverNodeFlags(maxHeapMb: number = DEFAULT_MAX_HEAP_MB): string[] {
  return [`--max-old-space-size=${maxHeapMb}`, "--max-semi-space-size=8"];
}

/** Environment server.mts is started with, unless the caller set these itself. */
export function serverEnv(env: Record<string, string | undefined>): Record<string, string> {
  return { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2" };
}
