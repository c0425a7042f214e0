// The portal's one logger: one JSON object per line, warnings and errors on
// stderr, the rest on stdout. server.mts and the TypeScript code (through
// lib/log/index.ts) both write through it. Callers pass facts, never codes,
// tokens or secrets; `redact` masks what looks like a QR token.
import { AsyncLocalStorage } from "node:async_hooks";

const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Next bundles lib/ into module instances of its own (one per bundle), apart from the copy
// server.mts imports, so a module-level store would be a different object in each: the
// request context lives once per process on globalThis, under a key any copy can find.
const KEY = Symbol.for("werify.request-context");
const requests = (globalThis[KEY] ??= new AsyncLocalStorage());

/** Runs `work` as part of serving one request: every line logged until it settles carries `requestId`. */
export function withRequestContext(context, work) {
  return requests.run(context, work);
}

/** The id of the request being served, if any. */
export function currentRequestId() {
  return requests.getStore()?.requestId;
}

function threshold() {
  return ORDER[process.env.LOG_LEVEL ?? "info"] ?? ORDER.info;
}

function write(level, msg, fields) {
  const requestId = requests.getStore()?.requestId;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...(requestId ? { request_id: requestId } : {}), ...fields });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

/** A line at `level`, written when LOG_LEVEL lets it through. */
export function log(level, msg, fields = {}) {
  if (ORDER[level] < threshold()) return;
  write(level, msg, fields);
}

/** A process's start, stop or replacement: written at every LOG_LEVEL but `silent`, so an operator always sees it. */
export function logLifecycle(level, msg, fields = {}) {
  if (threshold() >= ORDER.silent) return;
  write(level, msg, fields);
}

/** Masks QR tokens (`wrf…`) in a path or an error text. */
export function redact(text) {
  return text.replace(/wrf[A-Za-z0-9_-]{8,}/g, "wrf…");
}

/** An error as one redacted line for the log: its name and message, never a library's nested cause. */
export function describeError(error) {
  return redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
