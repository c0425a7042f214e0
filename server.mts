// The portal's HTTP server: Next.js's request handler behind a thin node:http
// layer that adds what Next has no hook for — the edge's limits on bodies and
// connections (lib/http/edge.mjs), the API's hot routes served without Next's
// pipeline (lib/http/direct-routes.ts), one JSON log line per request, request
// ids, the client IP decided once (TRUSTED_PROXIES), and a graceful shutdown
// that answers held long polls before the process exits. It runs as workers
// under a supervisor (node:cluster) that replaces any worker that dies.
//
// Run by `npm start` (and the tests and the bench) as `node --import tsx server.mts`,
// so it imports the validated configuration and the route table it serves.
import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { BlockList, isIP, type Socket } from "node:net";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, config, type Config } from "@/lib/config";
import { ConnectionCaps, LimitedRequest, bodyLimit, bodyRules, edgeError, hasBody, plainAddress, refuseConnection } from "./lib/http/edge.mjs";
import { DirectRequest } from "@/lib/http/hot-request";
import { securityHeaders } from "./lib/http/security-headers.mjs";
import { describeError, log, logLifecycle, redact, withRequestContext } from "./lib/log/log.mjs";
import { supervise } from "./lib/runtime/supervise.mjs";

const root = dirname(fileURLToPath(import.meta.url));

let cfg: Config;
try {
  cfg = config();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

/** The socket's address, or — only when the socket is a trusted proxy — the nearest untrusted X-Forwarded-For hop. */
export function clientIpFrom(trusted: (address: string) => boolean, socketAddress: string | undefined, forwardedFor: string | undefined): string {
  const peer = plainAddress(socketAddress);
  if (!forwardedFor || !trusted(peer)) return peer;
  const hops = forwardedFor.split(",").map((s) => plainAddress(s.trim())).filter((s) => isIP(s));
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted(hops[i])) return hops[i];
  return hops[0] ?? peer;
}

function trustedProxies(entries: string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits) list.addSubnet(address, Number(bits), type);
    else list.addAddress(address, type);
  }
  return (address) => {
    const type = isIP(address);
    return type !== 0 && list.check(address, type === 6 ? "ipv6" : "ipv4");
  };
}

/**
 * A POST to a page (a server action or a form) from another site: refused here, where Next would answer 500.
 * Browsers say where a request comes from in Sec-Fetch-Site; older ones only in Origin, which is "null" for our own
 * forms (pages send Referrer-Policy: no-referrer), so a null Origin is judged by Sec-Fetch-Site alone.
 */
function foreignFormPost(req: IncomingMessage): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const path = req.url ?? "/";
  if (path.startsWith("/v1/") || path.startsWith("/api/") || path.startsWith("/.well-known/")) return false;
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined) return site !== "same-origin" && site !== "none";
  const origin = req.headers.origin;
  if (origin === undefined || origin === "null") return req.headers["next-action"] !== undefined;
  const allowed = new Set([`http://${req.headers.host}`, `https://${req.headers.host}`, cfg.publicOrigin]);
  return !allowed.has(origin);
}

type EdgeSocket = Socket & { werifyRefused?: boolean };

async function serve(): Promise<void> {
  // Loaded by workers only: the supervisor stays small.
  const [{ default: next }, { directRoutes }, { answerAllForShutdown }, { disconnectDb }] = await Promise.all([
    import("next"),
    import("@/lib/http/direct-routes"),
    import("@/lib/qr/changes"),
    import("@/lib/db/client"),
  ]);
  const { PORT: port, HOST: host } = cfg;
  const app = next({ dev: false, dir: root, hostname: "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const worker = String(cluster.worker?.id ?? 0);
  const isTrusted = trustedProxies(cfg.TRUSTED_PROXIES);
  let inFlight = 0;
  let stopping = false;

  const caps = new ConnectionCaps({
    perClient: cfg.MAX_CONNECTIONS_PER_IP,
    prefixBits: cfg.IPV6_PREFIX_BITS,
    // Behind a proxy every connection is the proxy's: the proxy caps its clients.
    exempt: isTrusted,
  });

  const server = http.createServer(
    {
      IncomingMessage: LimitedRequest,
      maxHeaderSize: 16 * 1024,
      headersTimeout: cfg.HEADERS_TIMEOUT_SECONDS * 1000,
      // Receiving a request (not answering it: held long polls are not cut) must finish within this.
      requestTimeout: cfg.REQUEST_TIMEOUT_SECONDS * 1000,
      keepAliveTimeout: cfg.KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      connectionsCheckingInterval: 1000,
    },
    (req, res) => void serveRequest(req as LimitedRequest, res),
  );
  // "Expect: 100-continue" (curl and most HTTP clients for large uploads): an upload over the cap is refused before
  // the client sends it.
  server.on("checkContinue", (req: LimitedRequest, res: ServerResponse) => {
    if (!(Number(req.headers["content-length"]) > bodyLimit((req.url ?? "/").split("?")[0]))) res.writeContinue();
    void serveRequest(req, res);
  });
  server.maxHeadersCount = 100;
  server.maxConnections = cfg.MAX_CONNECTIONS;
  server.on("connection", (socket: EdgeSocket) => {
    if (caps.admit(socket)) return;
    socket.werifyRefused = true;
    refuseConnection(socket);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: EdgeSocket) => {
    if (!socket.writable || socket.werifyRefused) return void socket.destroy();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  // Everything logged while a request is served — here, in Next's pipeline, in a route — carries its id.
  function serveRequest(req: LimitedRequest, res: ServerResponse) {
    if ((req.socket as EdgeSocket).werifyRefused) return void res.destroy();
    const incomingId = req.headers["x-request-id"];
    const requestId = typeof incomingId === "string" && /^[\w.-]{8,64}$/.test(incomingId) ? incomingId : randomUUID();
    req.headers["x-request-id"] = requestId;
    return withRequestContext({ requestId }, () => answer(req, res, requestId));
  }

  async function answer(req: LimitedRequest, res: ServerResponse, requestId: string) {
    const started = process.hrtime.bigint();
    const forwarded = req.headers["x-forwarded-for"];
    req.headers["x-werify-client-ip"] = clientIpFrom(isTrusted, req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded);
    res.setHeader("x-request-id", requestId);
    res.setHeader("x-werify-worker", worker);
    if (stopping) res.setHeader("connection", "close");
    inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
      log("info", "request", {
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

    const direct = directRoutes.get(`${req.method} ${path}`);
    if (!direct) return void handle(req, res);
    const aborted = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) aborted.abort();
    });
    try {
      // The edge has read and checked the whole body already.
      const response = await direct(new DirectRequest(req, req.body, aborted.signal), { params: Promise.resolve({}) });
      res.statusCode = response.status;
      for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
      const cookies = response.headers.getSetCookie();
      if (cookies.length) res.setHeader("set-cookie", cookies);
      for (const { key, value } of securityHeaders) if (!res.hasHeader(key)) res.setHeader(key, value);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      // route() answers every error itself; this is for a failure writing the answer.
      log("error", "direct route failed", { error: describeError(error) });
      if (!res.headersSent) edgeError(res, { status: 500, code: "server_error", description: "Something went wrong on our side." });
      else res.end();
    }
  }

  // A deep accept queue: thousands of QR screens may reconnect at once.
  server.listen({ port, host, backlog: 4096 }, () => {
    logLifecycle("info", "listening", { url: `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`, pid: process.pid, worker });
  });

  // A bug that escapes every handler leaves this process in an unknown state: log why, and let the supervisor replace it.
  process.on("uncaughtException", (error) => {
    logLifecycle("error", "worker crashed", { worker, error: describeError(error), stack: redact(String(error?.stack ?? "").split("\n").slice(1, 8).join(" | ")) });
    process.exit(1);
  });
  process.on("unhandledRejection", (error) => {
    log("error", "unhandled rejection", { worker, error: describeError(error) });
  });

  async function shutdown(signal: NodeJS.Signals) {
    if (stopping) return;
    stopping = true;
    logLifecycle("info", "shutting down", { signal, in_flight: inFlight, worker });
    const hardStop = setTimeout(() => {
      logLifecycle("error", "shutdown timed out; exiting", { in_flight: inFlight, worker });
      process.exit(1);
    }, 9_500);
    hardStop.unref();
    server.close();
    // Held long polls answer with a retryable 503 at once.
    answerAllForShutdown();
    server.closeIdleConnections();
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await disconnectDb().catch(() => undefined);
    logLifecycle("info", "stopped", { worker });
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

if (cluster.isPrimary) {
  supervise({ workers: cfg.WEB_CONCURRENCY ?? (cfg.demo ? 1 : availableParallelism()), log: logLifecycle });
} else {
  await serve();
}
