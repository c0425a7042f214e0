import { config } from "@/lib/config";

// Longer than any path the portal makes; a cap keeps hostile values out of headers and the parser.
const MAX_LENGTH = 2048;

// A redirect target as written: printable ASCII only (a URL path is ASCII; anything else
// arrives percent-encoded), no backslash, which browsers read as "/".
const PLAIN = /^[\x21-\x5b\x5d-\x7e]+$/;

// What a browser, proxy or a second decode could turn into a separator or strip away:
// control (C0, DEL, C1) and format characters, any whitespace, backslashes, and the
// full-stop and slash look-alikes that IDNA or a lenient parser maps to "." or "/".
const FORBIDDEN_DECODED = /[\p{Cc}\p{Cf}\p{Z}\s\\\u2044\u2215\u29f5\u29f8\u29f9\u3002\ufe52\ufe68\uff0e\uff0f\uff3c\uff61]/u;

/** Percent-decodes until nothing changes (double encoding included); null when malformed. */
function fullyDecoded(value: string): string | null {
  let current = value;
  for (let round = 0; round < 4; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

// A path that a browser would read as another host: "//host", "/\host".
const startsLikeAuthority = (path: string) => /^\/[/\\]/.test(path);

/**
 * A "where to go after" value (`next`, a callback, a return path) as a
 * normalised path on PUBLIC_URL's origin, or null. Only a plain path starting
 * with a single "/" passes, also once percent-decoded, and the answer is what
 * `URL` made of it (path, query, fragment), never the string given.
 */
export function redirectPath(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (!PLAIN.test(value) || !value.startsWith("/") || startsLikeAuthority(value)) return null;
  const decoded = fullyDecoded(value);
  if (decoded === null || FORBIDDEN_DECODED.test(decoded) || startsLikeAuthority(decoded)) return null;
  const { PUBLIC_URL, publicOrigin } = config();
  let url: URL;
  try {
    url = new URL(value, PUBLIC_URL);
  } catch {
    return null;
  }
  if (url.origin !== publicOrigin || url.username || url.password) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can collapse into "//host" ("/.//evil.com"): the result is checked again.
  return startsLikeAuthority(path) ? null : path;
}

/** `next` and the like: a safe path, else `fallback`. */
export function safeRedirect(value: unknown, fallback = "/account"): string {
  return redirectPath(value) ?? fallback;
}

/**
 * For libraries that hand over absolute URLs (next-auth's callbackUrl,
 * oidc-provider's resume URL): a URL on PUBLIC_URL's origin has that origin
 * cut off and the rest checked as a path. Answers an absolute URL, or null.
 */
export function redirectUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const { publicOrigin } = config();
  const rest = value === publicOrigin ? "/" : value.startsWith(`${publicOrigin}/`) ? value.slice(publicOrigin.length) : value;
  const path = redirectPath(rest);
  return path === null ? null : `${publicOrigin}${path}`;
}
