// The part of autocannon's programmatic API the benchmarks use (it ships no types).
declare module "autocannon" {
  type Context = Record<string, unknown>;
  type RawRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };

  export type Request = RawRequest & {
    setupRequest?: (request: RawRequest, context: Context) => RawRequest | null | undefined;
    onResponse?: (status: number, body: string, context: Context, headers: Record<string, string | string[]>) => void;
  };

  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: Request[];
    excludeErrorStats?: boolean;
  };

  type Stats = { average: number; mean: number; stddev: number; min: number; max: number; total: number; p50: number; p90: number; p99: number };

  export type Result = {
    duration: number;
    requests: Stats & { sent: number };
    latency: Stats & { p97_5: number; p99_9: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    "2xx": number;
    statusCodeStats: Record<string, { count: number }>;
  };

  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
