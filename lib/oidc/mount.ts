import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { config } from "@/lib/config";
import { errorBody } from "@/lib/http/errors";
import { describeError, log } from "@/lib/log";
import { hit } from "@/lib/ratelimit/hit";
import { RULES } from "@/lib/ratelimit/limits";
import { MOUNT_PATH, oidcProvider } from "./provider";
import { htmlPage } from "./views";

// The provider's own pages (errors, logout) are static HTML: no script runs but
// the one form_post script oidc-provider adds its hash for.
const CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

const callbacks = new WeakMap<Provider, (req: IncomingMessage, res: ServerResponse) => Promise<void>>();

/**
 * Makes a request look, to oidc-provider, like one to PUBLIC_URL: the issuer
 * and every URL it prints come from configuration, so a reverse proxy (or a
 * client forging X-Forwarded-Host) cannot change them. The client address is
 * the one server.mts decided with TRUSTED_PROXIES.
 */
export function describeAsPublic(req: IncomingMessage): void {
  const { publicHost, PUBLIC_URL } = config();
  const protocol = new URL(PUBLIC_URL).protocol.replace(":", "");
  req.headers.host = publicHost;
  req.headers["x-forwarded-host"] = publicHost;
  req.headers["x-forwarded-proto"] = protocol;
  const ip = req.headers["x-werify-client-ip"];
  if (typeof ip === "string" && ip !== "unknown") req.headers["x-forwarded-for"] = ip;
  else delete req.headers["x-forwarded-for"];
}

function notFound(res: ServerResponse, description: string) {
  res.statusCode = 404;
  res.setHeader("content-type", "application/json");
  res.setHeader("cache-control", "no-store");
  res.end(JSON.stringify(errorBody("not_found", description)));
}

/** pages/api/oidc/[...path]: hands the request to oidc-provider with the mount path stripped. */
export async function handleProviderRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  if (!url.startsWith(`${MOUNT_PATH}/`)) return notFound(res, "Unknown OpenID Connect endpoint.");
  const path = url.slice(MOUNT_PATH.length);
  if (path.startsWith("/.well-known/")) return notFound(res, "Discovery is at /.well-known/openid-configuration.");
  let provider: Provider;
  try {
    provider = await oidcProvider();
  } catch (error) {
    log("error", "oidc provider unavailable", { error: describeError(error) });
    res.statusCode = 503;
    res.setHeader("content-type", "application/json");
    res.setHeader("retry-after", "5");
    res.end(JSON.stringify(errorBody("temporarily_unavailable", "Sign-in for apps is unavailable right now; try again shortly.")));
    return;
  }
  const ip = req.headers["x-werify-client-ip"];
  if (req.method === "GET" && /^\/auth(\?|$)/.test(path) && typeof ip === "string") {
    const rule = RULES.oidcAuthorizationsPerIp;
    const counted = await hit(rule.key(ip), rule.limit(), rule.windowMs());
    if (!counted.allowed) {
      res.statusCode = 429;
      res.setHeader("retry-after", String(counted.retryAfter));
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.setHeader("content-security-policy", CSP);
      res.end(htmlPage({ title: "Too many requests", heading: "Too many sign-in requests", paragraphs: [`Too many sign-ins were started from your network. Try again in ${Math.ceil(counted.retryAfter / 60)} minutes.`] }));
      return;
    }
  }
  describeAsPublic(req);
  // oidc-provider reads the mount path back from originalUrl when it builds URLs.
  (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
  req.url = path;
  res.setHeader("content-security-policy", CSP);
  let callback = callbacks.get(provider);
  if (!callback) {
    callback = provider.callback();
    callbacks.set(provider, callback);
  }
  await callback(req, res);
}
