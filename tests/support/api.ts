import { randomBytes } from "node:crypto";

type Handler = (request: Request, segment: { params: Promise<never> }) => Promise<Response>;

export type Reply<T = Record<string, unknown>> = { status: number; body: T; headers: Headers };

/** Calls a real route handler with a real Request, as Next.js would. */
export async function call<T = Record<string, unknown>>(
  handler: Handler,
  init: { method?: string; path?: string; body?: unknown; raw?: string; ip?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { "x-werify-client-ip": init.ip ?? randomIp(), ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  }
  const request = new Request(`http://localhost:3000${init.path ?? "/"}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
  const response = await handler(request, { params: Promise.resolve({}) as Promise<never> });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}

/** A fresh address per test, so per-IP limits of one test never leak into another. */
export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${randomBytes(6).toString("hex")}@example.com`;
}
