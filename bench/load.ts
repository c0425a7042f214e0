import autocannon, { type Options, type Result } from "autocannon";

export type LoadResult = {
  /** responses per second, any status */
  rps: number;
  p50: number;
  p99: number;
  responses: number;
  /** status code → count; errors and timeouts are connection-level failures */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
};

/** One autocannon run against `url`, summarised. */
export async function load(options: Options): Promise<LoadResult> {
  const result: Result = await autocannon({ timeout: 10, ...options });
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count;
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    responses: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export type Series = { rps: number; p99: number; runs: LoadResult[] };

/** The median run figures of several runs (rps and p99 each their own median). */
export function summarise(runs: LoadResult[]): Series {
  return { rps: median(runs.map((r) => r.rps)), p99: median(runs.map((r) => r.p99)), runs };
}

/** Sum of one status over runs, e.g. every 429 the QR poll saw. */
export function countStatus(runs: LoadResult[], status: string): number {
  return runs.reduce((sum, r) => sum + (r.statuses[status] ?? 0), 0);
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
