import { providerGet } from "./node-bridge";
import { oidcProvider } from "./provider";

/** GET /.well-known/openid-configuration, answered by oidc-provider itself (so it always matches what it does). */
export async function discoveryDocument({ headers }: { headers: Headers }): Promise<Response> {
  const provider = await oidcProvider();
  const forwarded = new Headers({ accept: "application/json" });
  for (const name of ["x-werify-client-ip", "x-request-id", "origin"]) {
    const value = headers.get(name);
    if (value) forwarded.set(name, value);
  }
  return providerGet(provider, "/.well-known/openid-configuration", forwarded);
}
