import { randomBytes } from "node:crypto";
import { DirectRequest, type HotRequest } from "@/lib/http/hot-request";

type Handler<R> = (request: R, segment: { params: Promise<never> }) => Promise<Response>;

export type Reply<T = Record<string, unknown>> = { status: number; body: T; headers: Headers };

type Init = { method?: string; path?: string; body?: unknown; raw?: string; ip?: string; headers?: Record<string, string> };

function parts(init: Init) {
  const headers: Record<string, string> = { "x-werify-client-ip": init.ip ?? randomIp(), ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  }
  return { headers, body, method: init.method ?? (body ? "POST" : "GET"), path: init.path ?? "/" };
}

async function reply<T>(response: Response): Promise<Reply<T>> {
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}

/**
 * Calls a route handler with the request object server.mts gives the routes it
 * serves itself (DirectRequest over node's headers and the body the edge read),
 * so a handler that reaches for more than HotRequest fails here as in production.
 */
export async function call<T = Record<string, unknown>>(handler: Handler<HotRequest>, init: Init = {}): Promise<Reply<T>> {
  const { headers, body, method, path } = parts(init);
  const lower = Object.fromEntries(Object.entries({ host: "localhost:3000", ...headers }).map(([k, v]) => [k.toLowerCase(), v]));
  const request = new DirectRequest({ method, url: path, headers: lower }, body === undefined ? undefined : Buffer.from(body), new AbortController().signal);
  return reply<T>(await handler(request, { params: Promise.resolve({}) as Promise<never> }));
}

/** Calls a route only Next serves (one that takes a full Request) with a real Request, as Next would. */
export async function callNext<T = Record<string, unknown>>(handler: Handler<Request>, init: Init = {}): Promise<Reply<T>> {
  const { headers, body, method, path } = parts(init);
  const request = new Request(`http://localhost:3000${path}`, { method, headers, body });
  return reply<T>(await handler(request, { params: Promise.resolve({}) as Promise<never> }));
}

/** A fresh address per test, so per-IP limits of one test never leak into another. */
export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${randomBytes(6).toString("hex")}@example.com`;
}
