// The portal's HTTP server: Next.js's request handler behind a thin node:http
// layer that adds what Next has no hook for — one JSON log line per request,
// request ids, the client IP decided once (TRUSTED_PROXIES), and a graceful
// shutdown that answers held long polls before the process exits.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { securityHeaders } from "./lib/http/security-headers.mjs";

const root = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const logLevel = process.env.LOG_LEVEL ?? "info";
const logRequests = logLevel === "debug" || logLevel === "info";

const trusted = new BlockList();
for (const entry of (process.env.TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
  const [address, bits] = entry.split("/");
  const type = isIP(address) === 6 ? "ipv6" : "ipv4";
  if (bits) trusted.addSubnet(address, Number(bits), type);
  else trusted.addAddress(address, type);
}

function plainAddress(address) {
  return address?.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : (address ?? "unknown");
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

function redact(path) {
  return path.replace(/wrf[A-Za-z0-9_-]{8,}/g, "wrf…");
}

function writeLog(level, msg, fields) {
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }) + "\n";
  (level === "info" ? process.stdout : process.stderr).write(line);
}

const MAX_DIRECT_BODY = 16 * 1024 + 1;

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
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    // Past the limit the handler answers 413; no need to keep reading into memory.
    if (size < MAX_DIRECT_BODY) chunks.push(chunk);
    size += chunk.length;
  }
  const aborted = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) aborted.abort();
  });
  const body = chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const response = await handler(new DirectRequest(req, body, aborted.signal), { params: Promise.resolve({}) });
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  for (const { key, value } of securityHeaders) if (!res.hasHeader(key)) res.setHeader(key, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

const app = next({ dev: false, dir: root, hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

let inFlight = 0;
let stopping = false;

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint();
  const incomingId = req.headers["x-request-id"];
  const requestId = typeof incomingId === "string" && /^[\w.-]{8,64}$/.test(incomingId) ? incomingId : randomUUID();
  req.headers["x-request-id"] = requestId;
  const forwarded = req.headers["x-forwarded-for"];
  req.headers["x-werify-client-ip"] = clientIp(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded);
  res.setHeader("x-request-id", requestId);
  if (stopping) res.setHeader("connection", "close");
  inFlight++;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    inFlight--;
    if (!logRequests) return;
    const path = redact((req.url ?? "/").split("?")[0]);
    writeLog("info", "request", {
      method: req.method,
      path,
      status: res.statusCode,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      request_id: requestId,
      ip: req.headers["x-werify-client-ip"],
      aborted: res.writableFinished ? undefined : true,
    });
  };
  res.on("finish", finish);
  res.on("close", finish);
  const direct = directRoute(req);
  if (!direct) return void handle(req, res);
  serveDirect(direct, req, res).catch((error) => {
    writeLog("error", "direct route failed", { request_id: requestId, error: error instanceof Error ? error.name : "error" });
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "server_error", error_description: "Something went wrong on our side." }));
  });
});
server.keepAliveTimeout = 65_000;
// Long polls hold a request up to 25 s.
server.requestTimeout = 60_000;

// A deep accept queue: thousands of QR screens may reconnect at once.
server.listen({ port, host, backlog: 4096 }, () => {
  writeLog("info", "listening", { url: `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`, pid: process.pid });
});

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  writeLog("info", "shutting down", { signal, in_flight: inFlight });
  const hardStop = setTimeout(() => {
    writeLog("error", "shutdown timed out; exiting", { in_flight: inFlight });
    process.exit(1);
  }, 9_500);
  hardStop.unref();
  server.close();
  // Held long polls listen for this and answer with a retryable 503 at once.
  globalThis.__werifyShutdown?.();
  server.closeIdleConnections();
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await globalThis.__werifyDb?.client.$disconnect().catch(() => undefined);
  writeLog("info", "stopped", {});
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
