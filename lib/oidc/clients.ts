import type { AdapterPayload } from "oidc-provider";
import { findOidcClient } from "@/lib/db/oidc-clients";
import { unseal } from "./seal";

function uris(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/**
 * A registered client as oidc-provider metadata: code flow only, refresh
 * tokens allowed, exact redirect URIs. Confidential clients authenticate with
 * their secret (Basic or POST); public ones with PKCE alone.
 */
export async function findClientMetadata(clientId: string): Promise<AdapterPayload | undefined> {
  const client = await findOidcClient(clientId);
  if (!client) return undefined;
  const secret = !client.isPublic && client.secret ? unseal("client-secret", client.secret) : undefined;
  return {
    client_id: client.id,
    client_name: client.name,
    redirect_uris: uris(client.redirectUris),
    post_logout_redirect_uris: uris(client.postLogoutRedirectUris),
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: secret ? "client_secret_basic" : "none",
    // Every ID token says when the user signed in, so apps can apply their own freshness rules.
    require_auth_time: true,
    ...(secret ? { client_secret: secret } : {}),
  };
}
