import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/** A process's CPU use over `ms`, in percent of one core (100 = one core busy all the time). */
export async function cpuPercent(pid: number, ms: number): Promise<number> {
  const before = cpuSeconds(pid);
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return ((cpuSeconds(pid) - before) / seconds) * 100;
}

/** Resident memory of a process in MB: now (VmRSS) and its peak so far (VmHWM). */
export function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

/** The soft limit on open files of a process, from /proc/<pid>/limits. */
export function openFileLimit(pid: number | "self" = "self"): number {
  const limits = readFileSync(`/proc/${pid}/limits`, "utf8");
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  return !match || match[1] === "unlimited" ? Infinity : Number(match[1]);
}

/**
 * Raises this process's open-file limit (children inherit it) with prlimit(1);
 * needs root or a hard limit that allows it. Returns the limit now in force.
 */
export function raiseOpenFileLimit(wanted: number): { limit: number; how: string } {
  const before = openFileLimit();
  if (before >= wanted) return { limit: before, how: `already ${before}` };
  try {
    execFileSync("prlimit", ["--pid", String(process.pid), `--nofile=${wanted}:${wanted}`], { stdio: "ignore" });
  } catch {
    // Not allowed; the caller decides what to do with the lower limit.
  }
  const after = openFileLimit();
  return { limit: after, how: after > before ? `raised from ${before} to ${after} with prlimit` : `${before} (prlimit could not raise it: hard limit)` };
}
