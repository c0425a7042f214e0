// The portal's edge: what every request and connection is held to before any
// route sees it (SPEC §12). server.mts applies it; nothing behind it needs to
// guard against oversized or deeply nested bodies, or a client holding every
// socket.
import { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { ipBucket } from "../ratelimit/ip-bucket.mjs";
import { errorJson } from "./envelope.mjs";

const KiB = 1024;

/**
 * Body caps by path prefix, first match wins. The API and next-auth take a few
 * fields; OpenID Connect's token endpoint and server actions a little more.
 * Nothing accepts more than 64 KiB (SPEC: never above 1 MiB).
 */
export const BODY_LIMITS = [
  { prefix: "/v1/", bytes: 16 * KiB },
  { prefix: "/api/auth/", bytes: 16 * KiB },
  { prefix: "/oidc/", bytes: 16 * KiB },
  { prefix: "/api/oidc/", bytes: 64 * KiB },
  { prefix: "/", bytes: 64 * KiB },
];

/** Deeper JSON than this is refused: no request the portal serves nests more than a few levels. */
export const MAX_JSON_DEPTH = 32;

/** Bodies held in memory at once by one process, across all connections, before new ones are refused with 503. */
export const MAX_BUFFERED_BODY_BYTES = 64 * KiB * KiB;

export function bodyLimit(path) {
  for (const { prefix, bytes } of BODY_LIMITS) if (path.startsWith(prefix)) return bytes;
  return BODY_LIMITS[BODY_LIMITS.length - 1].bytes;
}

/**
 * The deepest nesting of arrays and objects in a JSON text, counted without
 * parsing it (JSON.parse of a few million `[` exhausts V8's heap); stops
 * counting once past `limit`.
 */
export function jsonDepth(bytes, limit = MAX_JSON_DEPTH) {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

let bufferedBytes = 0;

/**
 * The request class of the portal's server: its body is held back, counted
 * against the route's cap as it arrives, and handed on only once complete and
 * acceptable. A declared Content-Length over the cap is refused before a byte is
 * read; a chunked body is cut off at the cap. Past the cap, nothing more is kept
 * (the rest of the upload is discarded while the refusal is sent).
 */
export class LimitedRequest extends IncomingMessage {
  #held = [];
  #size = 0;
  #limit = Infinity;
  #mode = "hold";
  #json = false;
  #depthOnly = false;
  #settle;
  /** The complete body once accepted (undefined for none). */
  body;

  /**
   * Starts checking the body against `limit`. Resolves with `{ ok: true }` once
   * the body is complete and acceptable, or `{ ok: false, status, code, description }`.
   */
  admit({ limit, json, depthOnly }) {
    this.#limit = limit;
    this.#json = json;
    this.#depthOnly = depthOnly;
    return new Promise((resolve) => {
      // A client that goes away mid-upload: forget what it sent.
      const gone = () => {
        if (this.#mode !== "hold") return;
        this.#release();
        this.#mode = "discard";
        resolve({ ok: false, gone: true });
      };
      this.socket.once("close", gone);
      this.#settle = (verdict) => {
        this.socket.removeListener("close", gone);
        resolve(verdict);
      };
      const declared = this.headers["content-length"];
      if (declared !== undefined && Number(declared) > limit) return this.#refuse(413);
      if (bufferedBytes + Math.min(limit, Number(declared) || limit) > MAX_BUFFERED_BODY_BYTES) return this.#refuse(503);
      // Chunks that arrived before admit() (none in practice: 'request' is emitted before the body is parsed).
      const early = this.#held;
      this.#held = [];
      this.#size = 0;
      for (const chunk of early) this.#take(chunk);
      if (this.complete && this.#mode === "hold") this.#finish();
    });
  }

  /** A request without a body: nothing to hold. */
  admitWithoutBody() {
    if (this.#mode !== "hold") return;
    this.#mode = "pass";
    for (const chunk of this.#held) super.push(chunk);
    this.#held = [];
  }

  push(chunk, encoding) {
    if (this.#mode === "pass") return super.push(chunk, encoding);
    if (this.#mode === "discard") return true;
    if (chunk === null) {
      if (this.#settle) this.#finish();
      else this.#held.push(null);
      return true;
    }
    if (!this.#settle) {
      this.#held.push(chunk);
      return true;
    }
    this.#take(chunk);
    return true;
  }

  #take(chunk) {
    if (chunk === null) return this.#finish();
    if (this.#mode !== "hold") return;
    this.#size += chunk.length;
    bufferedBytes += chunk.length;
    if (this.#size > this.#limit) return this.#refuse(413);
    this.#held.push(chunk);
  }

  #finish() {
    if (this.#mode !== "hold") return;
    const body = this.#held.length === 0 ? undefined : this.#held.length === 1 ? this.#held[0] : Buffer.concat(this.#held);
    this.#release();
    if (body && (this.#json || this.#depthOnly)) {
      if (jsonDepth(body) > MAX_JSON_DEPTH) return this.#refuse(400, `JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted.`);
      if (this.#json) {
        try {
          JSON.parse(body.toString("utf8"));
        } catch {
          return this.#refuse(400, "The request body is not valid JSON.");
        }
      }
    }
    this.body = body;
    this.#mode = "pass";
    if (body) super.push(body);
    super.push(null);
    this.#settle({ ok: true });
  }

  #release() {
    bufferedBytes -= this.#size;
    this.#size = 0;
    this.#held = [];
  }

  #refuse(status, description) {
    this.#release();
    this.#mode = "discard";
    const limit = this.#limit;
    const refusal =
      status === 413
        ? { status, code: "payload_too_large", description: `Request bodies here are limited to ${limit} bytes.` }
        : status === 503
          ? { status, code: "temporarily_unavailable", description: "The server is receiving too many uploads at once. Try again shortly." }
          : { status, code: "invalid_request", description };
    this.#settle({ ok: false, ...refusal });
  }
}

/** What the edge checks of a request's body, by route. */
export function bodyRules(req, path) {
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  const jsonType = /^application\/([\w.+-]*\+)?json\b/.test(type);
  return {
    limit: bodyLimit(path),
    // The API reads every body as JSON whatever its type; anything declaring JSON is parsed by someone.
    json: jsonType || path.startsWith("/v1/"),
    // Server actions send their arguments as JSON text (React's reply encoding).
    depthOnly: req.headers["next-action"] !== undefined,
  };
}

export function hasBody(req) {
  return req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
}

/** The plain address of a socket or header value: IPv4-mapped IPv6 as IPv4. */
export function plainAddress(address) {
  return address?.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : (address ?? "unknown");
}

/** Counts open connections per client bucket and refuses those past the cap. */
export class ConnectionCaps {
  #open = new Map();

  constructor({ perClient, prefixBits, exempt }) {
    this.perClient = perClient;
    this.prefixBits = prefixBits;
    this.exempt = exempt;
  }

  /** True if the socket may stay; counts it until it closes. */
  admit(socket) {
    const peer = plainAddress(socket.remoteAddress);
    if (this.exempt(peer)) return true;
    const key = ipBucket(peer, this.prefixBits);
    const open = this.#open.get(key) ?? 0;
    if (open >= this.perClient) return false;
    this.#open.set(key, open + 1);
    socket.once("close", () => {
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left <= 0) this.#open.delete(key);
      else this.#open.set(key, left);
    });
    return true;
  }

  get clients() {
    return this.#open.size;
  }
}

/** The API's error envelope (SPEC §3), for answers the edge gives itself. */
export function edgeError(res, { status, code, description }, headers = {}) {
  const body = errorJson(code, description);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * Refuses a connection past a cap before reading anything: a short 503 the
 * client can show, then the socket is closed.
 */
export function refuseConnection(socket) {
  const body = errorJson("temporarily_unavailable", "Too many connections from your network. Try again shortly.");
  socket.on("error", () => undefined);
  socket.end(
    `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}
