import Provider, { type Configuration, type GrantInstance, type KoaContextWithOIDC } from "oidc-provider";
import { config } from "@/lib/config";
import { secretFor } from "@/lib/config/secrets";
import { describeError, log } from "@/lib/log";
import { OidcAdapter } from "./adapter";
import { appSessionState } from "./app-session";
import { consentFor } from "./consents";
import { endPortalSession } from "./end-portal-session";
import { findAccount } from "./find-account";
import { providerSigningKeys } from "./keys";
import { interactionPolicyWithPortalSession } from "./policy";
import { errorPage, loggedOutPage, logoutPage } from "./views";

/** Where the provider's endpoints live (pages/api/oidc); the issuer itself is PUBLIC_URL's origin. */
export const MOUNT_PATH = "/api/oidc";
export const SCOPES = ["openid", "offline_access", "email", "phone", "wallet"];

function header(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Remembered consent is per user and app, not per browser: oidc-provider keeps
 * one grant per browser session, so a browser without one gets a fresh grant
 * carrying what the user already allowed. A grant whose app session was signed
 * out from the account page is not reused.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<GrantInstance | undefined> {
  const { provider, session, client, result } = ctx.oidc;
  const accountId = session.accountId;
  if (!client || !accountId) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  if (grantId) {
    const grant = await provider.Grant.find(grantId);
    if (grant && grant.accountId === accountId && (await appSessionState(grant.jti, accountId)) !== "ended") return grant;
  }
  const consent = await consentFor({ userId: accountId, clientId: client.clientId });
  if (!consent) return undefined;
  const grant = new provider.Grant({ accountId, clientId: client.clientId });
  if (consent.scope) grant.addOIDCScope(consent.scope);
  if (consent.claims.length) grant.addOIDCClaims(consent.claims);
  await grant.save();
  return grant;
}

function configuration(jwks: { keys: Record<string, unknown>[] }): Configuration {
  const cfg = config();
  const refreshSeconds = cfg.REFRESH_TOKEN_TTL_DAYS * 86_400;
  return {
    adapter: (name) => new OidcAdapter(name),
    jwks,
    findAccount,
    loadExistingGrant,
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      phone: ["phone_number", "phone_number_verified"],
      wallet: ["wallet_address"],
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      iss: null,
    },
    scopes: SCOPES,
    // The consented claims go in the ID token as well as userinfo: many client libraries build their profile from the ID token alone.
    conformIdTokenClaims: false,
    responseTypes: ["code"],
    pkce: { required: () => true },
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      id_token_signed_response_alg: "RS256",
      token_endpoint_auth_method: "client_secret_basic",
    },
    enabledJWA: {
      idTokenSigningAlgValues: ["RS256", "ES256"],
      userinfoSigningAlgValues: ["RS256", "ES256"],
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    cookies: {
      names: { session: "wrf_oidc_session", interaction: "wrf_oidc_interaction", resume: "wrf_oidc_resume" },
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
      keys: [secretFor("oidc-cookies").toString("base64url")],
    },
    routes: {
      authorization: "/auth",
      token: "/token",
      userinfo: "/userinfo",
      jwks: "/jwks",
      end_session: "/logout",
      revocation: "/revoke",
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, formHtml: string) => {
          ctx.type = "html";
          ctx.body = logoutPage({ formHtml, clientName: ctx.oidc.client?.clientName });
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = "html";
          ctx.body = loggedOutPage({ clientName: ctx.oidc.client?.clientName });
        },
      },
    },
    interactions: {
      policy: interactionPolicyWithPortalSession(),
      url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}`,
    },
    // Refresh tokens for every code exchange; rotated on every use, and a rotated one used again revokes the grant.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    // Tokens issued without offline_access end with the browser's provider session (RP-initiated logout included).
    expiresWithSession: (_ctx, token) => !token.scope?.split(" ").includes("offline_access"),
    ttl: {
      AccessToken: cfg.ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: cfg.ACCESS_TOKEN_TTL_SECONDS,
      RefreshToken: refreshSeconds,
      Interaction: 30 * 60,
      Session: refreshSeconds,
      Grant: 365 * 86_400,
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = errorPage({
        error: out.error,
        description: out.error_description,
        clientName: ctx.oidc?.client?.clientName,
        clientId: ctx.oidc?.client?.clientId,
        requestId: header(ctx, "x-request-id"),
      });
    },
  };
}

async function build(): Promise<Provider> {
  const keys = await providerSigningKeys();
  const provider = new Provider(config().publicOrigin, configuration({ keys: keys as Record<string, unknown>[] }));
  // Host and protocol headers reaching the provider are written by the mount from PUBLIC_URL, never taken from the client.
  provider.proxy = true;
  provider.on("server_error", (ctx: KoaContextWithOIDC, error: Error) => {
    log("error", "oidc provider error", { path: ctx.path, error: describeError(error) });
  });
  // Logging out of the provider (logout=yes) ends the browser's portal session too, before the redirect is sent.
  provider.on("end_session.success", (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.params.logout) ctx.state.endedAccountId = ctx.oidc.session.accountId;
  });
  provider.use(async (ctx, next) => {
    await next();
    const accountId = ctx.state.endedAccountId;
    if (typeof accountId !== "string") return;
    const cookies = await endPortalSession({
      cookieHeader: header(ctx, "cookie"),
      accountId,
      ip: header(ctx, "x-werify-client-ip"),
      userAgent: header(ctx, "user-agent"),
      secure: config().PUBLIC_URL.startsWith("https:"),
    });
    for (const cookie of cookies) ctx.append("set-cookie", cookie);
  });
  return provider;
}

const holder = globalThis as typeof globalThis & { __werifyOidc?: Promise<Provider> };

/** The provider of this process, built once (its keys come from the database, so every instance signs alike). */
export function oidcProvider(): Promise<Provider> {
  holder.__werifyOidc ??= build().catch((error: unknown) => {
    holder.__werifyOidc = undefined;
    throw error;
  });
  return holder.__werifyOidc;
}
