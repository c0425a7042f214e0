import http from "node:http";
import type { AddressInfo } from "node:net";

export type CaptureSite = { url: string; next(pathname: string): Promise<URL>; stop(): Promise<void> };

/**
 * A stand-in redirect URI for a relying party that lives in the test process:
 * it answers "back at the RP" and hands each callback URL to the test that
 * waits for that path (other requests, like the browser's favicon, are ignored).
 */
export async function startCaptureSite(): Promise<CaptureSite> {
  const waiting = new Map<string, (url: URL) => void>();
  let origin = "";
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const waiter = waiting.get(url.pathname);
    waiting.delete(url.pathname);
    waiter?.(url);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>RP</title><p>back at the RP</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    next: (pathname) => new Promise<URL>((resolve) => waiting.set(pathname, resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
