import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import * as client from "openid-client";
import { GET as discoveryRoute } from "@/app/.well-known/openid-configuration/route";
import { POST as decisionRoute } from "@/app/oidc/interaction/[uid]/decision/route";
import { GET as interactionRoute } from "@/app/oidc/interaction/[uid]/route";
import { config } from "@/lib/config";
import { secretFor } from "@/lib/config/secrets";
import { transaction } from "@/lib/db/kysely";
import { handleProviderRequest } from "@/lib/oidc/mount";
import { registerClient } from "@/lib/oidc/register-client";
import { createSession } from "@/lib/sessions/create-session";
import { findOrCreateUser } from "@/lib/users/find-or-create-user";

// The portal's OpenID Connect surface in-process: the same Pages API mount and
// route handlers Next.js runs, behind a plain node:http server, so a real
// openid-client talks to a real provider on SQLite or PostgreSQL. The public
// origin stays PUBLIC_URL; fetches to it are sent to this server's port.

type RouteHandler = (request: Request, segment: { params: Promise<never> }) => Promise<Response>;

export type Harness = { origin: string; fetch: typeof fetch; close(): Promise<void> };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function sendWeb(response: Response, res: ServerResponse) {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  res.end(Buffer.from(await response.arrayBuffer()));
}

async function dispatch(req: IncomingMessage, res: ServerResponse, origin: string) {
  req.headers["x-werify-client-ip"] ??= "127.0.0.1";
  req.headers["x-request-id"] ??= randomUUID();
  const url = new URL(req.url ?? "/", origin);
  if (url.pathname.startsWith("/api/oidc/")) return handleProviderRequest(req, res);
  const method = req.method ?? "GET";
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const body = method === "GET" || method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
  const request = new Request(url, { method, headers, body });
  const call = (handler: RouteHandler, params: Record<string, string> = {}) => handler(request, { params: Promise.resolve(params) as Promise<never> });
  let match: RegExpExecArray | null;
  if (url.pathname === "/.well-known/openid-configuration" && method === "GET") return sendWeb(await call(discoveryRoute as RouteHandler), res);
  if ((match = /^\/oidc\/interaction\/([^/]+)$/.exec(url.pathname)) && method === "GET") return sendWeb(await call(interactionRoute as RouteHandler, { uid: match[1] }), res);
  if ((match = /^\/oidc\/interaction\/([^/]+)\/decision$/.exec(url.pathname)) && method === "POST") {
    return sendWeb(await call(decisionRoute as RouteHandler, { uid: match[1] }), res);
  }
  res.statusCode = 404;
  res.end("not served by the harness");
}

export async function startHarness(): Promise<Harness> {
  const origin = config().publicOrigin;
  const server = http.createServer((req, res) => {
    dispatch(req, res, origin).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error instanceof Error ? error.stack : error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rewrite = (input: string) => (input.startsWith(origin) ? local + input.slice(origin.length) : input);
  const harnessFetch: typeof fetch = (input, init) => {
    if (input instanceof Request) return fetch(new Request(rewrite(input.url), input), init);
    return fetch(rewrite(input instanceof URL ? input.href : input), init);
  };
  return {
    origin,
    fetch: harnessFetch,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Cookie = { name: string; value: string; path: string };

/** A browser as far as cookies and redirects go: path-scoped cookies, manual redirects. */
export class Browser {
  cookies: Cookie[] = [];

  constructor(private readonly harness: Harness) {}

  cookieHeader(path: string): string {
    return this.cookies
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  setCookie(line: string, requestPath: string) {
    const [pair, ...attributes] = line.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = requestPath.replace(/\/[^/]*$/, "") || "/";
    let expired = false;
    for (const attribute of attributes) {
      const [key, v = ""] = attribute.split("=");
      if (key.toLowerCase() === "path") path = v;
      if (key.toLowerCase() === "expires" && new Date(v).getTime() < Date.now()) expired = true;
      if (key.toLowerCase() === "max-age" && Number(v) <= 0) expired = true;
    }
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
    if (!expired) this.cookies.push({ name, value, path });
  }

  async request(url: string, init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url, this.harness.origin);
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(target.pathname);
    if (cookie) headers.cookie = cookie;
    const response = await this.harness.fetch(target.href, { method: init.method ?? "GET", headers, body: init.body, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) this.setCookie(line, target.pathname);
    return response;
  }

  /** Signs this browser in to the portal as `email` (a fresh portal session), as /login would. */
  async signIn(email: string, now = new Date()): Promise<{ userId: string; sessionId: string }> {
    const signedIn = await transaction(async (tx) => {
      const { userId } = await findOrCreateUser(tx, { type: "email", value: email }, now);
      const { sessionId } = await createSession(tx, { userId, via: "code", ip: "127.0.0.1", now });
      return { userId, sessionId };
    });
    const token = await encode({ token: { sub: signedIn.userId, sid: signedIn.sessionId }, secret: secretFor("nextauth").toString("base64url") });
    this.cookies = this.cookies.filter((c) => c.name !== "next-auth.session-token");
    this.cookies.push({ name: "next-auth.session-token", value: token, path: "/" });
    return signedIn;
  }

  signOutOfPortal() {
    this.cookies = this.cookies.filter((c) => c.name !== "next-auth.session-token");
  }
}

export type Journey = {
  /** The last URL: the app's redirect URI when the portal sent the browser back. */
  url: URL;
  /** The portal's final answer when it did not redirect (an error page, the logout page). */
  response?: Response;
  visitedLogin: URL[];
  visitedConsent: string[];
};

type JourneyOptions = {
  /** Called on /login; sign the browser in (or not) and return. Without it, reaching /login ends the journey. */
  login?: (at: URL) => Promise<void>;
  consent?: "approve" | "deny";
};

/** Follows the portal's redirects like a browser until it leaves the portal or stops on a page. */
export async function journey(browser: Browser, start: string | URL, options: JourneyOptions = {}): Promise<Journey> {
  const visitedLogin: URL[] = [];
  const visitedConsent: string[] = [];
  let url = new URL(start);
  const origin = new URL(browser["harness"].origin).origin;
  for (let hops = 0; hops < 20; hops++) {
    if (url.origin !== origin) return { url, visitedLogin, visitedConsent };
    if (url.pathname === "/login") {
      visitedLogin.push(url);
      if (!options.login) return { url, visitedLogin, visitedConsent };
      await options.login(url);
      url = new URL(url.searchParams.get("next") ?? "/", origin);
      continue;
    }
    const consent = /^\/oidc\/interaction\/([^/]+)\/consent$/.exec(url.pathname);
    if (consent) {
      visitedConsent.push(consent[1]);
      if (!options.consent) return { url, visitedLogin, visitedConsent };
      const response = await browser.request(`/oidc/interaction/${consent[1]}/decision`, {
        method: "POST",
        body: new URLSearchParams({ decision: options.consent }),
        headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      });
      if (response.status !== 303) return { url, response, visitedLogin, visitedConsent };
      url = new URL(response.headers.get("location") as string, url);
      continue;
    }
    const response = await browser.request(url.href);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    return { url, response, visitedLogin, visitedConsent };
  }
  throw new Error("too many redirects");
}

export type RelyingParty = { config: client.Configuration; clientId: string; clientSecret?: string; redirectUri: string };

/** Registers a client the way the CLI does and discovers the portal with openid-client, as any site would. */
export async function relyingParty(harness: Harness, options: { public?: boolean; name?: string; postLogout?: string } = {}): Promise<RelyingParty> {
  const redirectUri = "https://rp.example/callback";
  const { clientId, clientSecret } = await registerClient({
    name: options.name ?? "Test RP",
    redirectUris: [redirectUri],
    postLogoutRedirectUris: options.postLogout ? [options.postLogout] : [],
    isPublic: options.public,
  });
  const cfg = await client.discovery(
    new URL(harness.origin),
    clientId,
    clientSecret,
    options.public ? client.None() : client.ClientSecretBasic(clientSecret),
    { execute: [client.allowInsecureRequests], [client.customFetch]: (url, init) => harness.fetch(url, init as RequestInit) },
  );
  return { config: cfg, clientId, clientSecret, redirectUri };
}

export type Started = { url: URL; verifier: string; state: string; nonce: string };

/** An authorization URL with PKCE (S256), state and nonce, as openid-client builds it. */
export async function authorizationUrl(rp: RelyingParty, extra: Record<string, string> = {}): Promise<Started> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp.config, {
    redirect_uri: rp.redirectUri,
    scope: "openid email",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

export async function exchange(rp: RelyingParty, started: Started, callback: URL) {
  return client.authorizationCodeGrant(rp.config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
    idTokenExpected: true,
  });
}

/** Token endpoint call outside openid-client, for requests it would refuse to make. */
export async function tokenRequest(harness: Harness, rp: RelyingParty, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (rp.clientSecret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(rp.clientId)}:${encodeURIComponent(rp.clientSecret)}`).toString("base64")}`;
  const body = new URLSearchParams(rp.clientSecret ? params : { ...params, client_id: rp.clientId });
  const response = await harness.fetch(`${harness.origin}/api/oidc/token`, { method: "POST", headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export function uniqueEmail(label = "oidc"): string {
  return `${label}-${randomUUID().slice(0, 12)}@example.com`;
}
