import { randomBytes } from "node:crypto";
import { kysely } from "@/lib/db/kysely";
import { insertOidcClient } from "@/lib/db/oidc-clients";
import { seal } from "./seal";

export class ClientInputError extends Error {}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Exact, absolute https URIs (http only on this machine, for development); no fragments, no wildcards. */
export function checkRedirectUri(value: string, label = "redirect URI"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ClientInputError(`${label} "${value}" is not an absolute URL`);
  }
  if (url.hash || value.includes("#")) throw new ClientInputError(`${label} "${value}" must not have a #fragment`);
  if (value.includes("*")) throw new ClientInputError(`${label} "${value}" must be exact; wildcards are not allowed`);
  if (url.username || url.password) throw new ClientInputError(`${label} "${value}" must not contain credentials`);
  if (url.protocol === "https:") return value;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return value;
  throw new ClientInputError(`${label} "${value}" must use https (http is allowed only for localhost)`);
}

type Input = { name: string; redirectUris: string[]; postLogoutRedirectUris?: string[]; isPublic?: boolean };

/**
 * Registers a site that may send its users here to sign in. A confidential
 * client gets a 256-bit secret, returned once and kept encrypted (the provider
 * must compare it, so it cannot be hashed); a public one (SPA, mobile) has
 * none and relies on PKCE.
 */
export async function registerClient(input: Input): Promise<{ clientId: string; clientSecret?: string }> {
  const name = input.name.trim();
  if (!name || name.length > 80) throw new ClientInputError("--name must be 1 to 80 characters");
  if (!input.redirectUris.length) throw new ClientInputError("at least one --redirect-uri is needed");
  const redirectUris = input.redirectUris.map((uri) => checkRedirectUri(uri));
  const postLogout = (input.postLogoutRedirectUris ?? []).map((uri) => checkRedirectUri(uri, "post-logout redirect URI"));
  const clientId = `wrf_${randomBytes(12).toString("hex")}`;
  const clientSecret = input.isPublic ? undefined : randomBytes(32).toString("base64url");
  await insertOidcClient(kysely(), {
    id: clientId,
    name,
    secret: clientSecret ? seal("client-secret", clientSecret) : null,
    redirectUris: JSON.stringify(redirectUris),
    postLogoutRedirectUris: JSON.stringify(postLogout),
    isPublic: !!input.isPublic,
    now: new Date(),
  });
  return { clientId, clientSecret };
}
