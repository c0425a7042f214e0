import { readFileSync } from "node:fs";
import http from "node:http";
import { connect, type Socket } from "node:net";

export type RawReply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * One HTTP request over a fresh connection from a chosen loopback address
 * (127.0.0.2 is "another client" to a portal listening on 127.0.0.1).
 * Resolves with the answer even when the server closes before the whole body was sent.
 */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string | number>; body?: string | Buffer; from?: string; timeoutMs?: number; expectContinue?: boolean } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request(
      {
        host: target.hostname === "localhost" ? "127.0.0.1" : target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
        headers: init.expectContinue ? { ...init.headers, expect: "100-continue" } : init.headers,
        localAddress: init.from,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        // 'close', not 'end': a client still writing an upload the server refused may reset its side first.
        res.on("close", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", () => undefined);
      },
    );
    req.setTimeout(init.timeoutMs ?? 30_000, () => req.destroy(new Error("timed out")));
    // The server may answer and close while the body is still being written: the answer is what counts.
    req.on("error", (error) => setTimeout(() => reject(error), 200));
    // With Expect: 100-continue the body goes only once the server says so; a refusal comes instead.
    if (init.expectContinue) req.once("continue", () => req.end(init.body));
    else if (init.body !== undefined) req.end(init.body);
    else req.end();
  });
}

/**
 * Streams `total` bytes of `fill` as a chunked body (no Content-Length) and
 * resolves with the answer and how many bytes were written before it came.
 */
export function chunkedUpload(url: string, fill: string, total: number, contentType: string): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const req = http.request({
      host: "127.0.0.1",
      port: target.port,
      path: target.pathname,
      method: "POST",
      headers: { "content-type": contentType, "transfer-encoding": "chunked" },
      agent: false,
    });
    const chunk = Buffer.from(fill.repeat(Math.ceil(16_384 / fill.length)).slice(0, 16_384));
    let sent = 0;
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("close", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), sent }));
      res.on("error", () => undefined);
    });
    // Reset by the server before its answer arrived: refused all the same (status 0).
    req.on("error", () => setTimeout(() => (answered ? undefined : resolve({ status: 0, body: "", sent })), 500));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Opens a TCP connection from `from`; resolves once connected. */
export function openSocket(port: number, from: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress: from });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resident memory of a process, in MB, from /proc. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Which worker answers on a keep-alive agent's connection (x-werify-worker of a /healthz). */
export function workerOf(baseUrl: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl.replace("localhost", "127.0.0.1")}/healthz`, { agent }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve(String(res.headers["x-werify-worker"])) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * One keep-alive connection per worker, found by opening connections until each
 * worker has answered one (the supervisor hands connections out in turn). A
 * connection stays on the worker that accepted it.
 */
export async function connectionPerWorker(baseUrl: string, workers: number): Promise<Map<string, http.Agent>> {
  const byWorker = new Map<string, http.Agent>();
  for (let i = 0; i < 10 * workers && byWorker.size < workers; i++) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const worker = await workerOf(baseUrl, agent);
    if (byWorker.has(worker)) agent.destroy();
    else byWorker.set(worker, agent);
  }
  return byWorker;
}

/** A JSON request on a given agent's connection. */
export function jsonOn(agent: http.Agent, url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url.replace("localhost", "127.0.0.1"),
      { method, agent, headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
