import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import type Provider from "oidc-provider";
import { MOUNT_PATH } from "./provider";
import { describeAsPublic } from "./mount";

/**
 * A Node request carrying a Web request's headers, for the few oidc-provider
 * calls made from App Router handlers (interaction lookups read the signed
 * interaction cookie; discovery). Bodies are never needed there.
 */
export function nodeRequest(input: { method?: string; path: string; headers: Headers | Record<string, string | undefined> }): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(new Socket());
  req.method = input.method ?? "GET";
  req.url = input.path;
  const entries = input.headers instanceof Headers ? [...input.headers.entries()] : Object.entries(input.headers);
  for (const [name, value] of entries) if (value !== undefined) req.headers[name.toLowerCase()] = value;
  req.push(null);
  describeAsPublic(req);
  return { req, res: new ServerResponse(req) };
}

/** Runs one GET through the provider in-process and returns what it answered. */
export async function providerGet(provider: Provider, path: string, headers: Headers): Promise<Response> {
  const { req, res } = nodeRequest({ path, headers });
  (req as IncomingMessage & { originalUrl?: string }).originalUrl = `${MOUNT_PATH}${path}`;
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function") chunks.push(Buffer.from(chunk as string | Uint8Array));
  };
  res.write = ((chunk: unknown) => {
    collect(chunk);
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    collect(chunk);
    return res;
  }) as typeof res.end;
  await provider.callback()(req, res);
  const out = new Headers();
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, String(v));
  }
  return new Response(req.method === "HEAD" ? null : Buffer.concat(chunks), { status: res.statusCode, headers: out });
}
