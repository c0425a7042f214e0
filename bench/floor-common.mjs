// What the floor servers share: a bare node:http server, one better-sqlite3
// connection with cached prepared statements, the portal's fixed-window rate
// limit statement, and the same HMAC and id helpers. No framework, no ORM:
// the floor is the cost of the SQL and crypto alone.
import http from "node:http";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import Database from "better-sqlite3";

// Every statement that returns rows is read with .all(), as Prisma's adapter does: .get() leaves
// an INSERT … RETURNING unfinished, and its open read snapshot stops WAL checkpoints.
export function openDatabase(path) {
  // As the portal's adapter opens it: same file (WAL, set by the migration), same lock timeout.
  return new Database(path, { timeout: 5000 });
}

const SECRET = Buffer.from("floor-secret-0123456789-abcdefghijklmnopqrstuvwxyz");

export function hmac(purpose, value) {
  return createHmac("sha256", `${SECRET}:${purpose}`).update(value).digest("base64url");
}

export function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function newId() {
  return `c${randomBytes(12).toString("base64url")}`;
}

/** A DATETIME as Prisma's SQLite adapter writes and compares it. */
export function iso(ms) {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/**
 * lib/ratelimit/hit.ts (hitMany), verbatim: one upsert counts an event in
 * every window given as [key, limit, windowMs]; true when all are within their limit.
 */
export function rateLimiter(db) {
  const statements = new Map();
  const statementFor = (n) => {
    if (!statements.has(n)) {
      statements.set(
        n,
        db.prepare(`INSERT INTO rate_limit_buckets (key, count, reset_at) VALUES ${Array(n).fill("(?, 1, ?)").join(", ")}
          ON CONFLICT (key) DO UPDATE SET
            count = CASE WHEN rate_limit_buckets.reset_at <= ? THEN 1 ELSE rate_limit_buckets.count + 1 END,
            reset_at = CASE WHEN rate_limit_buckets.reset_at <= ? THEN excluded.reset_at ELSE rate_limit_buckets.reset_at END
          RETURNING key, count, reset_at`),
      );
    }
    return statements.get(n);
  };
  return (counters, now) => {
    const rows = statementFor(counters.length).all(...counters.flatMap(([key, , windowMs]) => [key, now + windowMs]), now, now);
    const counts = new Map(rows.map((row) => [row.key, row.count]));
    return counters.every(([key, limit]) => counts.get(key) <= limit);
  };
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class Refusal extends Error {
  constructor(status, code, retryAfter) {
    super(code);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/**
 * Serves `routes` ("METHOD /path" → handler(body, ip) → JSON body) on PORT
 * and prints "listening <port>" once it accepts connections.
 */
export function serve(routes) {
  const server = http.createServer((req, res) => {
    const handler = routes[`${req.method} ${req.url?.split("?")[0]}`];
    if (!handler) return send(res, 404, { error: "not_found" });
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      try {
        const text = Buffer.concat(chunks).toString("utf8");
        const body = text ? JSON.parse(text) : {};
        send(res, 200, handler(body, req.socket.remoteAddress ?? "unknown"));
      } catch (error) {
        if (error instanceof Refusal) {
          send(res, error.status, { error: error.code, error_description: error.code }, error.retryAfter ? { "retry-after": String(error.retryAfter) } : {});
        } else {
          send(res, 500, { error: "server_error", error_description: String(error) });
        }
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
