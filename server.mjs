// The portal's HTTP server: Next.js's request handler behind a thin node:http
// layer that adds what Next has no hook for — the edge's limits on bodies and
// connections (lib/http/edge.mjs), one JSON log line per request, request ids,
// the client IP decided once (TRUSTED_PROXIES), and a graceful shutdown that
// answers held long polls before the process exits. It runs as workers under a
// supervisor (node:cluster) that replaces any worker that dies.
import cluster from "node:cluster";
import http from "node:http";
import { randomUUID } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ConnectionCaps, LimitedRequest, bodyLimit, bodyRules, edgeError, hasBody, plainAddress, refuseConnection } from "./lib/http/edge.mjs";
import { securityHeaders } from "./lib/http/security-headers.mjs";
import { supervise } from "./lib/runtime/supervise.mjs";

const root = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? "0.0.0.0";
const logLevel = env.LOG_LEVEL ?? "info";
const logRequests = logLevel === "debug" || logLevel === "info";
const seconds = (name, fallback) => Number(env[name] ?? fallback) * 1000;

function redact(path) {
  return path.replace(/wrf[A-Za-z0-9_-]{8,}/g, "wrf…");
}

function writeLog(level, msg, fields) {
  if (logLevel === "silent") return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }) + "\n";
  (level === "info" ? process.stdout : process.stderr).write(line);
}

if (cluster.isPrimary) {
  const fallback = env.PORTAL_MODE === "demo" ? 1 : availableParallelism();
  supervise({ workers: Number(env.WEB_CONCURRENCY ?? fallback), log: writeLog });
} else {
  await serve();
}

const trusted = new BlockList();
for (const entry of (process.env.TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
  const [address, bits] = entry.split("/");
  const type = isIP(address) === 6 ? "ipv6" : "ipv4";
  if (bits) trusted.addSubnet(address, Number(bits), type);
  else trusted.addAddress(address, type);
}

function isTrusted(address) {
  const type = isIP(address);
  return type !== 0 && trusted.check(address, type === 6 ? "ipv6" : "ipv4");
}

/** The socket's address, or — only when the socket is a trusted proxy — the nearest untrusted X-Forwarded-For hop. */
export function clientIp(socketAddress, forwardedFor) {
  const peer = plainAddress(socketAddress);
  if (!forwardedFor || !isTrusted(peer)) return peer;
  const hops = forwardedFor.split(",").map((s) => plainAddress(s.trim())).filter((s) => isIP(s));
  for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(hops[i])) return hops[i];
  return hops[0] ?? peer;
}

/**
 * Routes that instrumentation.ts registered for direct serving: the same
 * route-handler function Next would call, without Next's per-request pipeline
 * (about 2 ms of CPU and 150 KB per request here). Used for the API's hot
 * paths: sign, verify, and the QR poll thousands of waiting screens renew.
 */
function directRoute(req) {
  const routes = globalThis.__werifyDirectRoutes;
  if (!routes) return undefined;
  return routes.get(`${req.method} ${(req.url ?? "/").split("?")[0]}`);
}

/**
 * What a direct route handler receives instead of a WHATWG Request: the part of
 * Request our handlers use (method, url, headers.get/has, signal, body as a
 * stream, text/json/arrayBuffer), over the body server.mjs already read. A full
 * Request costs a URL, a Headers copy, a body stream and a dependent
 * AbortSignal: about 10% of a sign-in's CPU and half the memory of a held poll.
 */
class DirectRequest {
  #body;
  #signal;

  constructor(req, body, signal) {
    this.#body = body;
    this.#signal = signal;
    this.method = req.method;
    this.url = `http://${req.headers.host ?? "localhost"}${req.url}`;
    this.headers = new DirectHeaders(req.headers);
  }

  get signal() {
    return this.#signal;
  }

  get body() {
    const body = this.#body;
    if (!body) return null;
    let done = false;
    return {
      getReader: () => ({
        read: async () => (done ? { done: true, value: undefined } : ((done = true), { done: false, value: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) })),
        cancel: async () => void (done = true),
        releaseLock: () => undefined,
      }),
    };
  }

  async arrayBuffer() {
    const body = this.#body ?? Buffer.alloc(0);
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  }

  async text() {
    return this.#body ? this.#body.toString("utf8") : "";
  }

  async json() {
    return JSON.parse(await this.text());
  }
}

class DirectHeaders {
  #raw;

  constructor(raw) {
    this.#raw = raw;
  }

  get(name) {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  has(name) {
    return this.#raw[name.toLowerCase()] !== undefined;
  }

  *entries() {
    for (const [name, value] of Object.entries(this.#raw)) if (value !== undefined) yield [name, Array.isArray(value) ? value.join(", ") : value];
  }

  [Symbol.iterator]() {
    return this.entries();
  }
}

async function serveDirect(handler, req, res) {
  const aborted = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) aborted.abort();
  });
  // The edge has read and checked the whole body already.
  const body = req.body;
  const response = await handler(new DirectRequest(req, body, aborted.signal), { params: Promise.resolve({}) });
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  for (const { key, value } of securityHeaders) if (!res.hasHeader(key)) res.setHeader(key, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * A POST to a page (a server action or a form) from another site: refused here, where Next would answer 500.
 * Browsers say where a request comes from in Sec-Fetch-Site; older ones only in Origin, which is "null" for our own
 * forms (pages send Referrer-Policy: no-referrer), so a null Origin is judged by Sec-Fetch-Site alone.
 */
function foreignFormPost(req) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const path = req.url ?? "/";
  if (path.startsWith("/v1/") || path.startsWith("/api/") || path.startsWith("/.well-known/")) return false;
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined) return site !== "same-origin" && site !== "none";
  const origin = req.headers.origin;
  if (origin === undefined || origin === "null") return req.headers["next-action"] !== undefined;
  const allowed = new Set([`http://${req.headers.host}`, `https://${req.headers.host}`]);
  if (env.PUBLIC_URL) allowed.add(new URL(env.PUBLIC_URL).origin);
  return !allowed.has(origin);
}

async function serve() {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, hostname: "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const worker = String(cluster.worker?.id ?? 0);
  let inFlight = 0;
  let stopping = false;

  const caps = new ConnectionCaps({
    perClient: Number(env.MAX_CONNECTIONS_PER_IP ?? 256),
    prefixBits: Number(env.IPV6_PREFIX_BITS ?? 64),
    // Behind a proxy every connection is the proxy's: the proxy caps its clients.
    exempt: (peer) => isTrusted(peer),
  });

  const server = http.createServer(
    {
      IncomingMessage: LimitedRequest,
      maxHeaderSize: 16 * 1024,
      headersTimeout: seconds("HEADERS_TIMEOUT_SECONDS", 10),
      // Receiving a request (not answering it: held long polls are not cut) must finish within this.
      requestTimeout: seconds("REQUEST_TIMEOUT_SECONDS", 30),
      keepAliveTimeout: seconds("KEEP_ALIVE_TIMEOUT_SECONDS", 65),
      connectionsCheckingInterval: 1000,
    },
    (req, res) => void answer(req, res),
  );
  // "Expect: 100-continue" (curl and most HTTP clients for large uploads): an upload over the cap is refused before
  // the client sends it.
  server.on("checkContinue", (req, res) => {
    if (!(Number(req.headers["content-length"]) > bodyLimit((req.url ?? "/").split("?")[0]))) res.writeContinue();
    void answer(req, res);
  });
  server.maxHeadersCount = 100;
  server.maxConnections = Number(env.MAX_CONNECTIONS ?? 15_000);
  server.on("connection", (socket) => {
    if (caps.admit(socket)) return;
    socket.werifyRefused = true;
    refuseConnection(socket);
  });
  server.on("clientError", (error, socket) => {
    if (!socket.writable || socket.werifyRefused) return void socket.destroy();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  async function answer(req, res) {
    if (req.socket.werifyRefused) return void res.destroy();
    const started = process.hrtime.bigint();
    const incomingId = req.headers["x-request-id"];
    const requestId = typeof incomingId === "string" && /^[\w.-]{8,64}$/.test(incomingId) ? incomingId : randomUUID();
    req.headers["x-request-id"] = requestId;
    const forwarded = req.headers["x-forwarded-for"];
    req.headers["x-werify-client-ip"] = clientIp(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded);
    res.setHeader("x-request-id", requestId);
    res.setHeader("x-werify-worker", worker);
    if (stopping) res.setHeader("connection", "close");
    inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
      if (!logRequests) return;
      writeLog("info", "request", {
        method: req.method,
        path: redact((req.url ?? "/").split("?")[0]),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        request_id: requestId,
        ip: req.headers["x-werify-client-ip"],
        aborted: res.writableFinished ? undefined : true,
      });
    };
    res.on("finish", finish);
    res.on("close", finish);

    const path = (req.url ?? "/").split("?")[0];
    if (hasBody(req)) {
      const verdict = await req.admit(bodyRules(req, path));
      if (!verdict.ok) {
        if (verdict.gone) return void res.destroy();
        // Answer at once; the rest of the upload is read and discarded (closing now would reset the connection and
        // lose the answer on the client's side), and the connection is dropped if it is still coming in 2 s.
        edgeError(res, verdict, verdict.status === 503 ? { "retry-after": "1" } : {});
        setTimeout(() => req.complete || req.socket.destroy(), 2000).unref();
        return;
      }
    } else req.admitWithoutBody();
    if (foreignFormPost(req)) {
      return edgeError(res, { status: 403, code: "access_denied", description: "Forms on this site can only be sent from this site." });
    }

    const direct = directRoute(req);
    if (!direct) return void handle(req, res);
    serveDirect(direct, req, res).catch((error) => {
      writeLog("error", "direct route failed", { request_id: requestId, error: error instanceof Error ? error.name : "error" });
      if (!res.headersSent) edgeError(res, { status: 500, code: "server_error", description: "Something went wrong on our side." });
      else res.end();
    });
  }

  // A deep accept queue: thousands of QR screens may reconnect at once.
  server.listen({ port, host, backlog: 4096 }, () => {
    writeLog("info", "listening", { url: `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`, pid: process.pid, worker });
  });

  // A bug that escapes every handler leaves this process in an unknown state: log why, and let the supervisor replace it.
  process.on("uncaughtException", (error) => {
    writeLog("error", "worker crashed", { worker, error: redact(`${error?.name}: ${error?.message}`), stack: redact(String(error?.stack ?? "").split("\n").slice(1, 8).join(" | ")) });
    process.exit(1);
  });
  process.on("unhandledRejection", (error) => {
    writeLog("error", "unhandled rejection", { worker, error: redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error)) });
  });

  async function shutdown(signal) {
    if (stopping) return;
    stopping = true;
    writeLog("info", "shutting down", { signal, in_flight: inFlight, worker });
    const hardStop = setTimeout(() => {
      writeLog("error", "shutdown timed out; exiting", { in_flight: inFlight, worker });
      process.exit(1);
    }, 9_500);
    hardStop.unref();
    server.close();
    // Held long polls listen for this and answer with a retryable 503 at once.
    globalThis.__werifyShutdown?.();
    server.closeIdleConnections();
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await globalThis.__werifyDb?.client.$disconnect().catch(() => undefined);
    writeLog("info", "stopped", { worker });
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
