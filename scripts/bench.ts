// `npm run bench [-- --quick] [-- --postgres] [-- --profile] [-- --only=qr,sign,long,growth] [-- --rebuild] [-- --node-options=…]`
// SPEC §11: builds the production app (into .next-bench), starts it, runs the
// workloads with autocannon beside the framework ceiling (GET /healthz of the
// same build) and the floor (bench/floor-*.ts: node:http running the portal's
// own lib/db statements on the same kind of database), prints one table and writes bench/results/<time>.json.
// How to read it: docs/bench.md.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { startPortal, type Portal } from "../e2e/support/portal";
import { postgresAdminUrl, createTestDatabase, dropTestDatabase } from "../tests/support/postgres";
import { migrate, sqlitePath } from "../lib/db/migrate";
import { DIST_DIR, ROOT, buildIfNeeded } from "../bench/build";
import { openCodeReader } from "../bench/code-reader";
import { freshSqlite, startFloor, type Floor } from "../bench/floor";
import { countStatus, load, percentile, summarise, type LoadResult, type Series } from "../bench/load";
import { APPROVAL_TIMEOUT_MS, longPolls, type LongPollResult } from "../bench/long-polls";
import { memory, raiseOpenFileLimit } from "../bench/proc";
import { summariseProfiles, type ProfileSummary } from "../bench/profile";
import { createQrLogins, shortPollRequests } from "../bench/qr-short-poll";
import { seedGrowth, seedQrLogins } from "../bench/seed";
import { signInOnce, signVerifyRequests, type SignInCounter } from "../bench/sign-verify";
import { fmt, formatTable, type Row } from "../bench/table";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const usePostgres = args.has("--postgres");
const profile = args.has("--profile");
// e.g. --node-options=--max-old-space-size=192: extra Node flags for the portal process, to try a fix without editing anything.
const nodeOptions = process.argv.find((a) => a.startsWith("--node-options="))?.slice("--node-options=".length) ?? "";
const only = new Set((process.argv.find((a) => a.startsWith("--only="))?.slice(7) ?? "qr,sign,long,growth").split(","));

const settings = quick
  ? { runs: 1, seconds: 2, warmupSeconds: 1, qrLogins: 1_000, floorQrLogins: 25_000, longPolls: 1_000, wait: 5, sample: 20, cpuWindowMs: 2_000, approveEveryMs: 25, seedRows: 50_000 }
  : { runs: 3, seconds: 10, warmupSeconds: 2, qrLogins: 3_000, floorQrLogins: 40_000, longPolls: 10_000, wait: 25, sample: 100, cpuWindowMs: 10_000, approveEveryMs: 50, seedRows: 1_000_000 };

// The bench process hashes the QR tokens it seeds with the portal's own code (lib/tokens/hash.ts), so both read the same secret.
const BENCH_SECRET = "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
Object.assign(process.env, { APP_SECRET: BENCH_SECRET, PORTAL_MODE: "demo", DELIVERY: "outbox" });

// Limits of SPEC §4 that a single load generator on one IP would hit at once; raised for the bench portal and the floors alike.
const RAISED = {
  SIGN_PER_IP_PER_10_MIN: "1000000000",
  VERIFY_PER_IP_PER_10_MIN: "1000000000",
  QR_PER_IP_PER_10_MIN: "1000000000",
  QR_POLL_PER_IP_PER_MINUTE: "1000000000",
  QR_HELD_POLLS_PER_IP: "1000000",
  // The long-poll workload is 10,000 screens on one address: past the edge's per-client connection cap.
  MAX_CONNECTIONS_PER_IP: "18000",
  MAX_CONNECTIONS: "18000",
};
const PORTAL_ENV = {
  ...RAISED,
  APP_SECRET: BENCH_SECRET,
  NEXT_DIST_DIR: DIST_DIR,
  // One JSON line per request would dominate a trivial route's cost; the table notes say so.
  LOG_LEVEL: "warn",
  // Pending logins must stay pending for the whole QR phase.
  QR_TTL_SECONDS: "600",
};

const started = new Date();
const stamp = started.toISOString().replace(/[:.]/g, "-");
const resultsDir = join(ROOT, "bench", "results");
const profileDir = join(resultsDir, `prof-${stamp}`);
const notes: string[] = [];
const say = (line: string) => process.stdout.write(`${line}\n`);
const progress = (line: string) => say(`[${String(Math.round((Date.now() - started.getTime()) / 1000)).padStart(4)} s] ${line}`);

type Trio = { ceiling: Series; ours: Series; floor: Series };
type Results = {
  qr?: Trio & { created: number; floorCreated: number; ours429: number; floor429: number; oursOther: Record<string, number> };
  sign?: Trio & { signInsPerSecond: number; failedVerifies: number; oursNon2xx: number };
  long?: LongPollResult;
  growth?: Trio & { seeded: number; seedSeconds: number; signInsPerSecond: number };
  peakRssMb: number[];
  /** server memory after each phase: RSS now and the peak so far */
  memoryAfter: Record<string, { rssMb: number; peakMb: number }>;
  profiles?: ProfileSummary[];
};
const results: Results = { peakRssMb: [], memoryAfter: {} };
/** Scratch folders (databases, portal logs) removed after a successful run; kept for a look after a failure. */
const scratch: string[] = [];

async function scratchSqlite(label: string): Promise<string> {
  const url = await freshSqlite(label);
  scratch.push(dirname(sqlitePath(url)));
  return url;
}

/** A fresh database of the portal's kind (SQLite file or PostgreSQL database), for the portal and the floors alike. */
let newDatabase: (label: string) => Promise<string> = scratchSqlite;

async function bootPortal(env: Record<string, string>): Promise<Portal> {
  const portal = await startPortal(env);
  scratch.push(dirname(portal.logFile));
  return portal;
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  if (profile) mkdirSync(profileDir, { recursive: true });
  const fd = raiseOpenFileLimit(65_536);
  notes.push(`open-file limit for the bench and the portal (inherited): ${fd.how}${fd.limit < settings.longPolls + 1_000 ? " — too low for the long-poll workload" : ` (each process holds ~${settings.longPolls.toLocaleString("en-US")} sockets in the long-poll workload)`}`);
  const build = buildIfNeeded(args.has("--rebuild"), say);
  say(build.built ? `built in ${Math.round(build.seconds)} s` : `using the existing ${DIST_DIR}/ build (newer than every source; --rebuild forces one)`);

  const adminUrl = usePostgres ? await postgresAdminUrl() : null;
  if (usePostgres && !adminUrl) throw new Error("--postgres: no PostgreSQL at TEST_DATABASE_URL or 127.0.0.1:5432");
  const databases: string[] = [];
  newDatabase = async (label: string) => {
    if (!adminUrl) return scratchSqlite(label);
    const url = await createTestDatabase(adminUrl);
    databases.push(url);
    await migrate(url);
    return url;
  };
  const preload = profile ? `--import ${pathToFileURL(join(ROOT, "bench", "cpu-profile.mjs")).href}` : "";
  const portalEnv = () => ({
    ...PORTAL_ENV,
    ...(preload || nodeOptions ? { NODE_OPTIONS: [preload, nodeOptions].filter(Boolean).join(" ") } : {}),
    ...(profile ? { CPU_PROFILE_DIR: profileDir } : {}),
  });

  try {
    if (only.has("qr") || only.has("sign") || only.has("long")) {
      const portal = await bootPortal({ ...portalEnv(), DATABASE_URL: await newDatabase("portal") });
      progress(`portal worker pid ${portal.workerPids()[0]} on ${portal.url} (${usePostgres ? "PostgreSQL" : "SQLite"})`);
      try {
        const after = (phase: string) => (results.memoryAfter[phase] = memory(portal.workerPids()[0]));
        if (only.has("qr")) await qrPhase(portal).then(() => after("qr"));
        if (only.has("sign")) await signPhase(portal).then(() => after("sign"));
        if (only.has("long")) await longPollPhase(portal).then(() => after("long"));
      } finally {
        results.peakRssMb.push(memory(portal.workerPids()[0]).peakMb);
        await portal.stop();
      }
    }
    if (only.has("growth")) await growthPhase(newDatabase, portalEnv);
  } finally {
    if (adminUrl) for (const url of databases) await dropTestDatabase(adminUrl, url).catch(() => undefined);
  }
  if (profile) results.profiles = summariseProfiles(profileDir);
  report();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
}

/**
 * With --profile, starts or stops sampling the portal's CPU (bench/cpu-profile.mjs
 * toggles on SIGUSR2) and waits until the toggle took effect; a stop writes
 * <profileDir>/<label>.cpuprofile.
 */
async function toggleProfile(portal: Portal, label: string, on: boolean): Promise<void> {
  if (!profile) return;
  const state = join(profileDir, "state");
  const expected = on ? `running ${label}` : "stopped";
  if (on) writeFileSync(join(profileDir, "label"), label);
  process.kill(portal.workerPids()[0], "SIGUSR2");
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && (!existsSync(state) || readFileSync(state, "utf8") !== expected)) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function profiled<T>(portal: Portal, label: string, fn: () => Promise<T>): Promise<T> {
  await toggleProfile(portal, label, true);
  try {
    return await fn();
  } finally {
    await toggleProfile(portal, label, false);
  }
}

/** Runs ceiling, ours and floor in turn, `runs` times, so drift on a shared machine hits all three alike. */
async function trio(connections: number, ours: () => Promise<LoadResult>, portal: Portal, floor: () => Promise<LoadResult>, label: string): Promise<Trio> {
  const runs = { ceiling: [] as LoadResult[], ours: [] as LoadResult[], floor: [] as LoadResult[] };
  const ceiling = () => load({ url: `${base(portal)}/healthz`, connections, duration: settings.seconds });
  for (let i = 0; i < settings.runs; i++) {
    runs.ceiling.push(await ceiling());
    runs.ours.push(await profiled(portal, `${label}-${i + 1}`, ours));
    runs.floor.push(await floor());
  }
  return { ceiling: summarise(runs.ceiling), ours: summarise(runs.ours), floor: summarise(runs.floor) };
}

function base(portal: Portal): string {
  return `http://127.0.0.1:${portal.port}`;
}

async function warmUp(url: string, connections: number, requests?: Parameters<typeof load>[0]["requests"]) {
  await load({ url, connections, duration: settings.warmupSeconds, requests });
}

async function qrPhase(portal: Portal): Promise<void> {
  progress(`QR short poll: creating ${settings.qrLogins} pending logins …`);
  const logins = await createQrLogins(base(portal), settings.qrLogins);
  const floor = await startFloor("qr-poll", await newDatabase("floor-qr"), { ...RAISED, QR_TTL_SECONDS: "600" });
  try {
    const floorLogins = await createQrLogins(floor.url, settings.floorQrLogins, 32);
    const ours = () => load({ url: `${base(portal)}/v1/oauth/qr`, connections: 64, duration: settings.seconds, requests: shortPollRequests(logins) });
    const bare = () => load({ url: `${floor.url}/v1/oauth/qr`, connections: 64, duration: settings.seconds, requests: shortPollRequests(floorLogins) });
    await warmUp(`${base(portal)}/healthz`, 64);
    // Warm-up polls use logins the measured runs never touch, so none of them is polled twice within a second.
    await warmUp(`${base(portal)}/v1/oauth/qr`, 64, shortPollRequests(await createQrLogins(base(portal), 500)));
    progress("QR short poll: measuring (ceiling, ours, floor) …");
    const measured = await trio(64, ours, portal, bare, "qr-short-poll");
    const other: Record<string, number> = {};
    for (const run of measured.ours.runs) for (const [code, n] of Object.entries(run.statuses)) if (code !== "200" && code !== "429") other[code] = (other[code] ?? 0) + n;
    results.qr = {
      ...measured,
      created: logins.length,
      floorCreated: floorLogins.length,
      ours429: countStatus(measured.ours.runs, "429"),
      floor429: countStatus(measured.floor.runs, "429"),
      oursOther: other,
    };
  } finally {
    await floor.stop();
  }
}

async function signPhase(portal: Portal) {
  progress("sign + verify: measuring (ceiling, ours, floor) …");
  results.sign = await signVerify(portal, await newDatabase("floor-sign"), "sign-verify");
}

/** The sign + verify trio on a running portal and a floor over `floorDatabaseUrl`. */
async function signVerify(portal: Portal, floorDatabaseUrl: string, label: string): Promise<Trio & { signInsPerSecond: number; failedVerifies: number; oursNon2xx: number }> {
  const codes = openCodeReader(portal.databaseUrl);
  const floor: Floor = await startFloor("sign-verify", floorDatabaseUrl, RAISED);
  const floorCodes = openCodeReader(floorDatabaseUrl);
  try {
    const counter: SignInCounter = { signIns: 0, failed: 0 };
    await warmUp(`${base(portal)}/healthz`, 32);
    await warmUp(`${base(portal)}/v1/oauth/sign`, 32, signVerifyRequests(codes, { signIns: 0, failed: 0 }));
    let oursSeconds = 0;
    const ours = async () => {
      const result = await load({ url: `${base(portal)}/v1/oauth/sign`, connections: 32, duration: settings.seconds, requests: signVerifyRequests(codes, counter) });
      oursSeconds += result.seconds;
      return result;
    };
    const bare = () => load({ url: `${floor.url}/v1/oauth/sign`, connections: 32, duration: settings.seconds, requests: signVerifyRequests(floorCodes, { signIns: 0, failed: 0 }) });
    const measured = await trio(32, ours, portal, bare, label);
    const non2xx = measured.ours.runs.reduce((sum, r) => sum + Object.entries(r.statuses).reduce((s, [code, n]) => s + (code.startsWith("2") ? 0 : n), 0), 0);
    return { ...measured, signInsPerSecond: counter.signIns / oursSeconds, failedVerifies: counter.failed, oursNon2xx: non2xx };
  } finally {
    await codes.close();
    await floorCodes.close();
    await floor.stop();
  }
}

async function longPollPhase(portal: Portal) {
  progress(`long polls: writing ${settings.longPolls} pending logins …`);
  const { hashToken } = await import("../lib/tokens/hash");
  const logins = await seedQrLogins(portal.databaseUrl, settings.longPolls, hashToken, Number(PORTAL_ENV.QR_TTL_SECONDS));
  const codes = openCodeReader(portal.databaseUrl);
  try {
    const accessToken = await signInOnce(base(portal), codes, "bench-approver@example.com");
    progress(`long polls: ${logins.length} screens arriving over ${settings.wait} s, CPU over ${settings.cpuWindowMs / 1000} s, then ${settings.sample} approvals …`);
    results.long = await longPolls({
      baseUrl: base(portal),
      pid: portal.workerPids()[0],
      logins,
      accessToken,
      wait: settings.wait,
      sample: settings.sample,
      cpuWindowMs: settings.cpuWindowMs,
      approveEveryMs: settings.approveEveryMs,
      mark: (what, on) => toggleProfile(portal, `long-polls-${what}`, on),
    });
  } finally {
    await codes.close();
  }
}

async function growthPhase(newDatabase: (label: string) => Promise<string>, portalEnv: () => Record<string, string>) {
  const databaseUrl = await newDatabase("growth");
  progress(`growth: seeding ${settings.seedRows.toLocaleString("en-US")} users with identities and ${settings.seedRows.toLocaleString("en-US")} expired challenges …`);
  const seedSeconds = await seedGrowth(databaseUrl, settings.seedRows);
  let floorDatabaseUrl: string;
  if (databaseUrl.startsWith("file:")) {
    // The floor gets a copy of the very same seeded file.
    floorDatabaseUrl = `file:${sqlitePath(databaseUrl).replace(/\.db$/, "-floor.db")}`;
    copyFileSync(sqlitePath(databaseUrl), sqlitePath(floorDatabaseUrl));
  } else {
    floorDatabaseUrl = await newDatabase("floor-growth");
    await seedGrowth(floorDatabaseUrl, settings.seedRows);
  }
  const portal = await bootPortal({ ...portalEnv(), DATABASE_URL: databaseUrl });
  try {
    progress("growth: sign + verify on the seeded database (ceiling, ours, floor) …");
    const measured = await signVerify(portal, floorDatabaseUrl, "growth-sign-verify");
    results.growth = { ...measured, seeded: settings.seedRows, seedSeconds, signInsPerSecond: measured.signInsPerSecond };
  } finally {
    results.memoryAfter.growth = memory(portal.workerPids()[0]);
    results.peakRssMb.push(results.memoryAfter.growth.peakMb);
    await portal.stop();
  }
}

function ratio(t: Trio): number {
  return t.ours.rps / t.ceiling.rps;
}

function floorRatio(t: Trio): number {
  return t.ours.rps / t.floor.rps;
}

function rows(): Row[] {
  const out: Row[] = [];
  // SPEC §11: sign + verify at least 70% of the floor on SQLite, 60% on PostgreSQL.
  const signFloorTarget = usePostgres ? 0.6 : 0.7;
  const { qr, sign, long, growth } = results;
  out.push({
    measure: "QR short poll (pending), 64 conn: throughput",
    ours: qr ? fmt.rps(qr.ours.rps) : "—",
    ceiling: qr ? fmt.rps(qr.ceiling.rps) : "—",
    floor: qr ? fmt.rps(qr.floor.rps) : "—",
    ratio: qr ? fmt.pct(ratio(qr) * 100) : "—",
    floorRatio: qr ? fmt.pct(floorRatio(qr) * 100) : "—",
    target: ">= 35% of floor",
    met: qr ? floorRatio(qr) >= 0.35 : null,
  });
  out.push({
    measure: "QR short poll (pending), 64 conn: p99",
    ours: qr ? fmt.ms(qr.ours.p99) : "—",
    ceiling: qr ? fmt.ms(qr.ceiling.p99) : "—",
    floor: qr ? fmt.ms(qr.floor.p99) : "—",
    ratio: "",
    target: "< 100 ms",
    met: qr ? qr.ours.p99 < 100 : null,
  });
  out.push({
    measure: "sign + verify, new identity, 32 conn: throughput",
    ours: sign ? fmt.rps(sign.ours.rps) : "—",
    ceiling: sign ? fmt.rps(sign.ceiling.rps) : "—",
    floor: sign ? fmt.rps(sign.floor.rps) : "—",
    ratio: sign ? fmt.pct(ratio(sign) * 100) : "—",
    floorRatio: sign ? fmt.pct(floorRatio(sign) * 100) : "—",
    target: `>= ${signFloorTarget * 100}% of floor`,
    met: sign ? floorRatio(sign) >= signFloorTarget : null,
  });
  out.push({
    measure: "sign + verify, new identity, 32 conn: p99",
    ours: sign ? fmt.ms(sign.ours.p99) : "—",
    ceiling: sign ? fmt.ms(sign.ceiling.p99) : "—",
    floor: sign ? fmt.ms(sign.floor.p99) : "—",
    ratio: "",
    target: "< 150 ms",
    met: sign ? sign.ours.p99 < 150 : null,
  });
  // An approval that never reached its screen counts as slower than any that did.
  const approvalP99 = long ? percentile([...long.approvalMs, ...Array<number>(long.approvalsUnanswered).fill(Infinity)], 99) : NaN;
  out.push({
    measure: `${(long?.screens ?? settings.longPolls).toLocaleString("en-US")} held long polls: approval → answer p99`,
    ours: long ? `${approvalP99 === Infinity ? `> ${fmt.ms(APPROVAL_TIMEOUT_MS)}` : fmt.ms(approvalP99)} (${long.approvalMs.length}/${long.approvalMs.length + long.approvalsUnanswered} answered)` : "—",
    ceiling: "",
    floor: "",
    ratio: "",
    target: "< 1,500 ms",
    met: long ? approvalP99 < 1500 : null,
  });
  out.push({
    measure: `${(long?.screens ?? settings.longPolls).toLocaleString("en-US")} held long polls: server CPU while waiting`,
    ours: long ? `${fmt.pct(long.cpuPercent)} of a core` : "—",
    ceiling: "",
    floor: "",
    ratio: "",
    target: "< 50%",
    met: long ? long.cpuPercent < 50 && long.heldAtEnd >= long.screens * 0.95 : null,
  });
  // Against the empty-database run through each run's own ceiling, so a machine that got busier in between does not read as growth.
  const growthRatio = growth && sign ? ratio(growth) / ratio(sign) : NaN;
  out.push({
    measure: `sign + verify with ${fmt.count(growth?.seeded ?? settings.seedRows)} identities + expired challenges`,
    ours: growth ? fmt.rps(growth.ours.rps) : "—",
    ceiling: growth ? fmt.rps(growth.ceiling.rps) : "—",
    floor: growth ? fmt.rps(growth.floor.rps) : "—",
    ratio: growth ? fmt.pct(ratio(growth) * 100) : "—",
    target: growth && sign ? `>= 80% of empty db: ${fmt.pct(growthRatio * 100)}` : ">= 80% of empty db",
    met: growth && sign ? growthRatio >= 0.8 : null,
  });
  const peak = results.peakRssMb.length ? Math.max(...results.peakRssMb) : NaN;
  out.push({
    measure: "server peak RSS (VmHWM) under all of the above",
    ours: fmt.mb(peak),
    ceiling: "",
    floor: "",
    ratio: "",
    target: "< 400 MB",
    met: results.peakRssMb.length ? peak < 400 : null,
  });
  return out;
}

function report() {
  const table = rows();
  const { qr, sign, long, growth } = results;
  notes.push(
    `${usePostgres ? "PostgreSQL" : "SQLite"}; production build in ${DIST_DIR}/ served by server.mts${nodeOptions ? ` (node ${nodeOptions})` : ""} with LOG_LEVEL=warn (no per-request log line; the default info level writes one JSON line per request)`,
    `${quick ? "QUICK run: one run" : `median of ${settings.runs} runs`} of ${settings.seconds} s per figure; ceiling, ours and floor interleaved; load generator (autocannon) on the same 2-core machine; load average at start ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    `ceiling: GET /healthz of the same build at the same connection count; floor: bench/floor-*.ts (node:http + the same lib/db statements and transactions, same HMAC/ES256 work) on its own database of the same kind (${usePostgres ? "PostgreSQL" : "SQLite"})`,
    "per-IP limits (sign, verify, GET qr) raised to 1e9 for the bench portal and the floors: one load generator is one IP",
  );
  if (qr) {
    const other = Object.entries(qr.oursOther).map(([c, n]) => `${n}×${c}`).join(", ");
    notes.push(`QR poll: ${qr.created} pending logins polled in rotation (floor: ${qr.floorCreated}); 429 slow_down answers: ours ${qr.ours429}, floor ${qr.floor429}${other ? `; other non-200: ${other}` : ""}`);
  }
  if (sign) notes.push(`sign + verify: throughput counts both requests; ${sign.signInsPerSecond.toFixed(0)} completed sign-ins/s; non-2xx answers: ${sign.oursNon2xx}`);
  if (long) {
    const refused = Object.entries(long.approvalsRefused).map(([k, n]) => `${n}× ${k}`).join(", ");
    notes.push(
      `long polls: ${long.screens} screens on one keep-alive socket each, POST /v1/oauth/qr {wait: ${settings.wait}}, polling again at once when still pending; ` +
        `they arrived evenly over ${long.rampSeconds.toFixed(0)} s (their pending logins written straight to the database with the portal's own token hash, much faster than ${long.screens} calls of GET /v1/oauth/qr); ` +
        `CPU = utime+stime of the server process over ${long.cpuWindowSeconds} s of steady state, 100% = one core: ${long.heldAtStart} → ${long.heldAtEnd} polls held, ${long.answeredInWindow} re-polls answered in the window (${(long.answeredInWindow / long.cpuWindowSeconds).toFixed(0)}/s), RSS ${fmt.mb(long.rssBeforeMb)} before the screens, ${fmt.mb(long.rssMb)} with them (${(((long.rssMb - long.rssBeforeMb) * 1024) / long.screens).toFixed(0)} KB per screen); ` +
        `${settings.sample} approvals ${settings.approveEveryMs} ms apart via POST /v1/oauth/qr/authorize (Bearer), timed from sending the approval to the screen's answer: ` +
        `p50 ${fmt.ms(percentile(long.approvalMs, 50))}, max ${fmt.ms(Math.max(...long.approvalMs))}, ${long.approvalsUnanswered} not answered with tokens${refused ? ` (refused: ${refused})` : ""}; ` +
        `other answers ${JSON.stringify(long.otherAnswers)}; socket errors ${JSON.stringify(long.socketErrors)}`,
    );
  }
  if (growth && sign) {
    notes.push(
      `growth: ${fmt.count(growth.seeded)} users + identities and ${fmt.count(growth.seeded)} expired challenges seeded in ${growth.seedSeconds.toFixed(0)} s (100k rows per transaction); ` +
        `compared as ours/ceiling seeded ÷ ours/ceiling empty = ${fmt.times(ratio(growth) / ratio(sign))} (raw: ${fmt.rps(growth.ours.rps)} vs ${fmt.rps(sign.ours.rps)} = ${fmt.times(growth.ours.rps / sign.ours.rps)}; ceiling ${fmt.rps(growth.ceiling.rps)} vs ${fmt.rps(sign.ceiling.rps)}); ` +
          `p99 ${fmt.ms(growth.ours.p99)} vs ${fmt.ms(sign.ours.p99)}; housekeeping may delete expired rows during the run, as it would in production`,
    );
  }
  const phases = Object.entries(results.memoryAfter).map(([phase, m]) => `${phase} ${fmt.mb(m.rssMb)} (peak so far ${fmt.mb(m.peakMb)})`);
  if (phases.length) notes.push(`server RSS after each phase: ${phases.join("; ")}; growth runs on a second portal process`);
  say("");
  say(formatTable(table));
  say("");
  for (const note of notes) say(`- ${note}`);
  if (results.profiles) {
    say("");
    for (const p of results.profiles) say(p.text);
  }
  const file = join(resultsDir, `${stamp}.json`);
  writeFileSync(file, JSON.stringify({ startedAt: started.toISOString(), argv: process.argv.slice(2), settings, database: usePostgres ? "postgres" : "sqlite", table, notes, results }, null, 2));
  say("");
  say(`results: ${file}`);
  if (profile) say(`profiles: ${profileDir} (${readdirSync(profileDir).length} files; open in Chrome DevTools → Performance)`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  if (scratch.length) process.stderr.write(`databases and server logs kept for a look: ${scratch.join(" ")}\n`);
  process.exit(1);
});
