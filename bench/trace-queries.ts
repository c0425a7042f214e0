// Prints the SQL each benchmarked request runs, in order, by calling the same
// domain functions the routes call with a Prisma client that logs its queries.
// The floor scripts (bench/floor-*.ts) run the same lib/db statements; rerun this after a
// change to lib/otp, lib/qr, lib/ratelimit or lib/tokens and compare with their header lists.
//   npx tsx bench/trace-queries.ts              (SQLite, a temporary file)
//   npx tsx bench/trace-queries.ts --postgres   (a temporary database on TEST_DATABASE_URL's server, default 127.0.0.1:5432)
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const postgres = process.argv.includes("--postgres");
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseName = `werify_trace_${Date.now()}_${randomBytes(3).toString("hex")}`;
const postgresUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const dir = mkdtempSync(join(tmpdir(), "werify-trace-"));
Object.assign(process.env, {
  DATABASE_URL: postgres ? postgresUrl : `file:${join(dir, "trace.db")}`,
  PORTAL_MODE: "demo",
  DELIVERY: "outbox",
  APP_SECRET: "trace-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  LOG_LEVEL: "silent",
});

type Step = { name: string; queries: string[] };

async function admin(statement: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function main() {
  if (postgres) await admin(`CREATE DATABASE "${databaseName}"`);
  const { migrate } = await import("@/lib/db/migrate");
  await migrate(process.env.DATABASE_URL ?? "");
  const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient } = await import("@/lib/db/generated/sqlite/client");
  const { PrismaClient: PostgresClient } = await import("@/lib/db/generated/postgres/client");
  // Logged at the driver adapter, where both Prisma's queries and the lib/db (Kysely) statements pass.
  let current: Step = { name: "warm-up", queries: [] };
  type Queryable = { queryRaw(q: { sql: string }): Promise<unknown>; executeRaw(q: { sql: string }): Promise<unknown> };
  const traced = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(inner, property) {
        const value = Reflect.get(inner, property, inner);
        if (property === "queryRaw" || property === "executeRaw") {
          return (query: { sql: string }) => {
            current.queries.push(query.sql.replace(/\s+/g, " ").trim());
            return (value as Queryable["queryRaw"]).call(inner, query);
          };
        }
        if (property === "startTransaction") {
          return async (...args: unknown[]) => {
            current.queries.push("BEGIN");
            return traced(await (value as (...a: unknown[]) => Promise<object>).apply(inner, args));
          };
        }
        return typeof value === "function" ? value.bind(inner) : value;
      },
    });
  const factory = postgres ? new PrismaPg({ connectionString: postgresUrl }) : new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "" });
  const connected = factory.connect().then(traced);
  const adapter = { provider: factory.provider, adapterName: factory.adapterName, connected, connect: () => connected };
  const client = postgres
    ? (new PostgresClient({ adapter: adapter as never }) as unknown as InstanceType<typeof PrismaClient>)
    : new PrismaClient({ adapter: adapter as never });
  (globalThis as typeof globalThis & { __werifyDb?: unknown }).__werifyDb = { client, adapter };

  const { startSignIn } = await import("@/lib/otp/start-sign-in");
  const { signInWithCode } = await import("@/lib/otp/sign-in-with-code");
  const { startQrLogin } = await import("@/lib/qr/start-qr-login");
  const { pollQrLogin } = await import("@/lib/qr/poll-qr-login");

  const steps: Step[] = [];
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    current = { name, queries: [] };
    steps.push(current);
    return run();
  };
  const ip = "10.0.0.1";
  // Signing keys and the like are created on first use; trace a second sign-in, as under load.
  for (const round of [1, 2]) {
    const email = `trace-${round}@example.com`;
    await step(`POST /v1/oauth/sign (new identity, round ${round})`, () => startSignIn({ id: email, ip }));
    current = { name: "the bench reading the code", queries: [] };
    const row = await client.outboxMessage.findFirst({ where: { recipient: email }, orderBy: { createdAt: "desc" } });
    await step(`POST /v1/oauth/verify (new identity, round ${round})`, () => signInWithCode({ id: email, code: row?.code ?? "", ip }));
  }
  const qr = await step("GET /v1/oauth/qr", () => startQrLogin({ ip }));
  await step("POST /v1/oauth/qr (short poll, pending)", () => pollQrLogin({ qrToken: qr.qr_token, pollToken: qr.poll_token, ip }));

  for (const s of steps) {
    process.stdout.write(`\n${s.name}: ${s.queries.length} statements\n`);
    for (const q of s.queries) process.stdout.write(`  ${q}\n`);
  }
  // SPEC §11: a new-user sign + verify in <= 6 round trips on PostgreSQL (each statement, BEGIN and COMMIT included, is one).
  const warm = steps.filter((s) => s.name.endsWith("(new identity, round 2)"));
  process.stdout.write(`\nnew-user sign + verify (round 2, ${postgres ? "PostgreSQL" : "SQLite"}): ${warm.reduce((n, s) => n + s.queries.length, 0)} statements\n`);
  await client.$disconnect();
  if (postgres) await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
}

void main();
