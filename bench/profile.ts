// Where the server's time goes: reads the .cpuprofile files `node --cpu-prof`
// wrote, maps each sampled frame of the Next.js build back to its source with
// the build's source maps, and sums self time by group and by function.
//   npx tsx bench/profile.ts <folder with .cpuprofile files>
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { SourceMap } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = { file: string; busyMs: number; groups: [string, number][]; functions: [string, number][]; text: string };

const SQLITE_NATIVE = new Set(["prepare", "run", "all", "get", "raw", "bind", "exec", "iterate", "columns", "pluck", "Database"]);
const JSON_NATIVE = new Set(["parse", "stringify"]);

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(url: string): SourceMap | null {
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      const file = url.startsWith("file:") ? fileURLToPath(url) : url;
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url) ?? null;
}

/** The original source of a frame (through the build's source map when there is one) and its function name. */
function origin(frame: CallFrame): { source: string; name: string } {
  const map = frame.url.includes("/server/chunks/") ? sourceMapFor(frame.url) : null;
  if (map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; name?: string };
    if (entry.originalSource) return { source: entry.originalSource, name: frame.functionName || entry.name || "(anonymous)" };
  }
  return { source: frame.url, name: frame.functionName || "(anonymous)" };
}

const PRISMA_RUNTIME = "Prisma client runtime (request, plan interpreter, result mapping)";
const PRISMA_COMPILER = "Prisma query compiler (wasm)";
const PRISMA_ADAPTER = "Prisma SQLite/pg adapter";
const SQLITE = "SQLite (better-sqlite3 native: prepare, step)";

function group(source: string, name: string, parentGroup: string): string {
  if (name === "(idle)") return "idle";
  if (name === "(garbage collector)") return "garbage collection";
  if (name === "(program)") return "V8/native (program)";
  if (!source) {
    if (SQLITE_NATIVE.has(name) && (parentGroup === PRISMA_ADAPTER || parentGroup === SQLITE)) return SQLITE;
    if (JSON_NATIVE.has(name)) return "JSON parse/stringify";
    if (name === "runMicrotasks") return "promise microtasks (V8)";
    // Other native functions (socket writes, hashing, …) count for the code that called them.
    return parentGroup;
  }
  if (source.startsWith("wasm://") || /query_compiler/.test(source)) return PRISMA_COMPILER;
  if (/@prisma\/adapter-/.test(source)) return PRISMA_ADAPTER;
  if (/@prisma|lib\/db\/generated/.test(source)) return PRISMA_RUNTIME;
  if (/better-sqlite3/.test(source)) return SQLITE;
  if (/node_modules\/next\/|next\/dist/.test(source)) return "Next.js (routing, request/response adapters)";
  if (/node_modules\/(jose|@noble)|node:internal\/crypto|internal\/crypto/.test(source)) return "crypto (jose, node:crypto)";
  if (/node_modules\/zod/.test(source)) return "zod";
  if (/node_modules\/(react|react-dom)/.test(source)) return "React";
  if (/(^|\/)(lib|app|components)\/|server\.mjs|proxy\.ts|instrumentation\.ts/.test(source) && !source.includes("node_modules")) return "our code (lib/, app/, server.mjs)";
  if (/async_hooks/.test(source)) return "Node async_hooks (AsyncLocalStorage of Next.js and Prisma)";
  if (/webstreams|abort_controller|js_transferable|deps\/undici|internal\/url|internal\/event_target/.test(source)) return "Node web Request/Response/streams/AbortSignal";
  if (/^node:(_http|net|internal\/streams|internal\/http|stream)/.test(source)) return "Node http/net (sockets, parser, writes)";
  if (source.startsWith("node:")) return "Node.js core (other: timers, events, buffers)";
  return "other dependencies";
}

/** Self time of one or more profiles of the same workload (e.g. its three runs), summed. */
export function summariseProfile(name: string, paths: string[]): ProfileSummary {
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const path of paths) addProfile(JSON.parse(readFileSync(path, "utf8")) as CpuProfile, groups, functions);
  const busyMs = [...groups].filter(([g]) => g !== "idle").reduce((sum, [, ms]) => sum + ms, 0);
  const idleMs = groups.get("idle") ?? 0;
  const sortedGroups = [...groups].filter(([g]) => g !== "idle").sort((a, b) => b[1] - a[1]);
  const sortedFunctions = [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25);
  const pct = (ms: number) => `${((ms / busyMs) * 100).toFixed(1).padStart(5)}%`;
  const text = [
    `profile of ${name} (${paths.length} file${paths.length > 1 ? "s" : ""}): ${(busyMs / 1000).toFixed(1)} s busy, ${(idleMs / 1000).toFixed(1)} s idle`,
    "  self time by group:",
    ...sortedGroups.map(([g, ms]) => `    ${pct(ms)}  ${(ms / 1000).toFixed(2).padStart(7)} s  ${g}`),
    "  top self-time functions:",
    ...sortedFunctions.map(([f, ms]) => `    ${pct(ms)}  ${f}`),
  ].join("\n");
  return { file: name, busyMs, groups: sortedGroups, functions: sortedFunctions, text };
}

function addProfile(profile: CpuProfile, groups: Map<string, number>, functions: Map<string, number>): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const labels = new Map<number, { group: string; fn: string }>();
  const label = (id: number): { group: string; fn: string } => {
    const known = labels.get(id);
    if (known) return known;
    const node = byId.get(id);
    if (!node) return { group: "unknown", fn: "unknown" };
    const up = parent.get(id);
    const parentGroup = up === undefined ? "V8/native (program)" : label(up).group;
    const { source, name } = origin(node.callFrame);
    const short = source.replace(/^.*node_modules\//, "").replace(/^file:\/\/\/?[^ ]*?\/(lib|app|components)\//, "$1/");
    const value = { group: group(source, name, parentGroup), fn: `${name} ${short ? `(${short}:${node.callFrame.lineNumber + 1})` : "(native)"}` };
    labels.set(id, value);
    return value;
  };
  // The profiler's own start and stop (bench/cpu-profile.mjs, inspector dispatch) are not the workload's time.
  const ownFrames = new Set<number>();
  for (const n of profile.nodes) if (n.callFrame.url.includes("bench/cpu-profile.mjs")) markSubtree(n.id, byId, ownFrames);
  profile.samples.forEach((id, i) => {
    if (i === 0 || ownFrames.has(id)) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const { group: g, fn } = label(id);
    groups.set(g, (groups.get(g) ?? 0) + ms);
    if (g !== "idle") functions.set(`${g}: ${fn}`, (functions.get(`${g}: ${fn}`) ?? 0) + ms);
  });
}

function markSubtree(id: number, byId: Map<number, ProfileNode>, into: Set<number>): void {
  into.add(id);
  for (const child of byId.get(id)?.children ?? []) markSubtree(child, byId, into);
}

/** One summary per workload: files named <workload>[-<run>].cpuprofile are summed. */
export function summariseProfiles(dir: string): ProfileSummary[] {
  if (!existsSync(dir)) return [];
  const byWorkload = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).sort()) {
    const workload = file.replace(/(-\d+)?\.cpuprofile$/, "");
    byWorkload.set(workload, [...(byWorkload.get(workload) ?? []), join(dir, file)]);
  }
  return [...byWorkload].map(([workload, paths]) => {
    const summary = summariseProfile(workload, paths);
    const memoryFile = paths[paths.length - 1].replace(/\.cpuprofile$/, ".memory.json");
    if (existsSync(memoryFile)) {
      const m = JSON.parse(readFileSync(memoryFile, "utf8")) as { rssMb: number; heapTotalMb: number; heapUsedMb: number; externalMb: number; spaces: Record<string, { sizeMb: number }> };
      const other = m.rssMb - m.heapTotalMb - m.externalMb;
      const spaces = Object.entries(m.spaces).filter(([, v]) => v.sizeMb > 0).map(([k, v]) => `${k} ${v.sizeMb}`).join(", ");
      summary.text += `\n  memory at the end: RSS ${m.rssMb} MB = V8 heap ${m.heapTotalMb} MB (${m.heapUsedMb} MB used, garbage included; ${spaces}) + external ${m.externalMb} MB (Buffers, ArrayBuffers, wasm memory) + ${other} MB outside both (code, SQLite page cache, malloc, thread stacks)`;
    }
    return summary;
  });
}

if (process.argv[1] && /bench\/profile\.ts$/.test(process.argv[1]) && process.argv[2]) {
  for (const summary of summariseProfiles(process.argv[2])) process.stdout.write(`${summary.text}\n`);
}
