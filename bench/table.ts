export type Row = {
  measure: string;
  ours: string;
  ceiling: string;
  floor: string;
  ratio: string;
  /** ours / floor: since the hot routes bypass Next's pipeline, the reference SPEC §11 judges them by */
  floorRatio?: string;
  target: string;
  /** null: not measured in this run */
  met: boolean | null;
};

const HEADER = ["measure", "ours", "framework ceiling", "floor", "ours/ceiling", "ours/floor", "target", "met?"];
const LEFT = new Set([0, 6]);

/** The one table `npm run bench` prints, as aligned plain text (also valid Markdown). */
export function formatTable(rows: Row[]): string {
  const cells = rows.map((r) => [r.measure, r.ours, r.ceiling, r.floor, r.ratio, r.floorRatio ?? "", r.target, r.met === null ? "not run" : r.met ? "yes" : "NO"]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => (LEFT.has(i) ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(" | ")} |`;
  return [line(HEADER), `|${widths.map((w, i) => (LEFT.has(i) ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...cells.map(line)].join("\n");
}

export const fmt = {
  rps: (n: number) => (Number.isFinite(n) ? `${Math.round(n).toLocaleString("en-US")} req/s` : "—"),
  ms: (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString("en-US")} ms` : "—"),
  pct: (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : "—"),
  times: (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "—"),
  count: (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n)),
  mb: (n: number) => (Number.isFinite(n) ? `${Math.round(n)} MB` : "—"),
};
