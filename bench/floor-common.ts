// What the floor servers share: a bare node:http server and the same HMAC
// helpers. No framework and no Prisma client: the floor is the cost of the
// portal's own statements (lib/db/*, the same modules, on the same kind of
// database as the portal: DATABASE_URL) and its crypto alone.
import http from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";

const SECRET = Buffer.from("floor-secret-0123456789-abcdefghijklmnopqrstuvwxyz");

export function hmac(purpose: string, value: string): string {
  return createHmac("sha256", `${SECRET}:${purpose}`).update(value).digest("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly retryAfter?: number,
  ) {
    super(code);
  }
}

type Handler = (body: Record<string, unknown>, ip: string) => Promise<unknown>;

/**
 * Serves `routes` ("METHOD /path" → handler(body, ip) → JSON body) on FLOOR_PORT
 * (FLOOR_PORT: PORT is the portal's setting, which lib/config validates) and prints "listening <port>" once it accepts connections.
 */
export function serve(routes: Record<string, Handler>): void {
  const server = http.createServer((req, res) => {
    const handler = routes[`${req.method} ${req.url?.split("?")[0]}`];
    if (!handler) return send(res, 404, { error: "not_found" });
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = async () => {
        const text = Buffer.concat(chunks).toString("utf8");
        return handler(text ? JSON.parse(text) : {}, req.socket.remoteAddress ?? "unknown");
      };
      answer().then(
        (body) => send(res, 200, body),
        (error: unknown) => {
          if (error instanceof Refusal) {
            send(res, error.status, { error: error.code, error_description: error.code }, error.retryAfter ? { "retry-after": String(error.retryAfter) } : {});
          } else {
            send(res, 500, { error: "server_error", error_description: String(error) });
          }
        },
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.FLOOR_PORT ?? 0), "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** lib/ratelimit/hit.ts's counting, on the same statement: true when every window is within its limit. */
export async function within(count: (counters: { key: string; resetAt: number }[], now: number) => Promise<{ key: string; count: number }[]>, counters: [string, number, number][], now: number): Promise<boolean> {
  const rows = await count(counters.map(([key, , windowMs]) => ({ key, resetAt: now + windowMs })), now);
  const counts = new Map(rows.map((row) => [row.key, row.count]));
  return counters.every(([key, limit]) => (counts.get(key) ?? Infinity) <= limit);
}
