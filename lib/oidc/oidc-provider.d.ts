// oidc-provider ships no types and @types/oidc-provider is not installed: this
// declares the part of v9's API the portal uses, from its source.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type UnknownObject = Record<string, unknown>;

  export interface AdapterPayload {
    [key: string]: unknown;
    jti?: string;
    accountId?: string;
    clientId?: string;
    grantId?: string;
    userCode?: string;
    uid?: string;
    consumed?: number;
    exp?: number;
    iat?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClaimsAccount {
    accountId: string;
    claims(use: string, scope: string, claims: UnknownObject, rejected: string[]): Promise<UnknownObject> | UnknownObject;
  }

  export interface ClientInstance {
    clientId: string;
    clientName?: string;
    redirectUris: string[];
    postLogoutRedirectUris?: string[];
    clientAuthMethod: string;
    applicationType?: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface SessionInstance {
    uid: string;
    jti: string;
    accountId?: string;
    loginTs?: number;
    amr?: string[];
    acr?: string;
    authorizations?: Record<string, { sid?: string; grantId?: string; persistsLogout?: boolean }>;
    grantIdFor(clientId: string, value?: string): string | undefined;
    destroy(): Promise<void>;
  }

  export interface BaseTokenInstance {
    jti: string;
    kind: string;
    accountId?: string;
    clientId?: string;
    grantId?: string;
    sessionUid?: string;
    scope?: string;
    exp?: number;
    iat?: number;
  }

  export interface PromptDetails {
    name: string;
    reasons: string[];
    details: {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
      max_age?: number;
      login_hint?: string;
      [key: string]: unknown;
    };
  }

  export interface InteractionInstance {
    uid: string;
    jti: string;
    iat: number;
    exp: number;
    returnTo: string;
    prompt: PromptDetails;
    params: UnknownObject & { client_id?: string; login_hint?: string; max_age?: string | number; prompt?: string; scope?: string };
    session?: { accountId: string; uid?: string; cookie?: string; acr?: string; amr?: string[] };
    grantId?: string;
    lastSubmission?: InteractionResults;
    result?: InteractionResults;
    save(ttl: number): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface InteractionResults {
    login?: { accountId: string; ts?: number; amr?: string[]; acr?: string; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface GrantInstance {
    jti: string;
    accountId: string;
    clientId: string;
    openid?: { scope?: string; claims?: string[] };
    rejected?: { openid?: { scope?: string; claims?: string[] } };
    exp?: number;
    iat?: number;
    addOIDCScope(scope: string | string[]): void;
    addOIDCClaims(claims: string[]): void;
    getOIDCScope(): string;
    save(ttl?: number): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface GrantStatic {
    new (input: { accountId: string; clientId: string; openid?: { scope?: string; claims?: string[] } }): GrantInstance;
    find(id: string, options?: { ignoreExpiration?: boolean }): Promise<GrantInstance | undefined>;
  }

  export interface OIDCContext {
    route: string;
    params: UnknownObject & { client_id?: string; prompt?: string; max_age?: string | number };
    session: SessionInstance;
    client?: ClientInstance;
    result?: InteractionResults;
    entities: Record<string, unknown>;
    prompts: Set<string>;
    provider: Provider;
    urlFor(name: string, options?: UnknownObject): string;
  }

  export interface KoaContextWithOIDC {
    req: IncomingMessage;
    res: ServerResponse;
    oidc: OIDCContext;
    status: number;
    type: string;
    body: unknown;
    href: string;
    method: string;
    path: string;
    state: Record<string, unknown>;
    set(name: string, value: string): void;
    get(name: string): string;
    append(name: string, value: string): void;
  }

  export interface ErrorOut {
    error: string;
    error_description?: string;
    state?: string;
    iss?: string;
    [key: string]: unknown;
  }

  export type TTLFunction = (ctx: KoaContextWithOIDC | undefined, token: BaseTokenInstance, client: ClientInstance | undefined) => number;

  export interface Configuration {
    adapter?: (name: string) => Adapter;
    claims?: Record<string, string[] | null>;
    clientDefaults?: UnknownObject;
    clientAuthMethods?: string[];
    conformIdTokenClaims?: boolean;
    cookies?: {
      names?: { session?: string; interaction?: string; resume?: string };
      long?: UnknownObject;
      short?: UnknownObject;
      keys?: (string | Buffer)[];
    };
    discovery?: UnknownObject;
    enabledJWA?: Record<string, string[]>;
    expiresWithSession?: (ctx: KoaContextWithOIDC, token: BaseTokenInstance) => Promise<boolean> | boolean;
    extraParams?: string[];
    features?: Record<string, UnknownObject>;
    findAccount?: (ctx: KoaContextWithOIDC, sub: string, token?: BaseTokenInstance) => Promise<ClaimsAccount | undefined>;
    interactions?: { policy?: Prompt[]; url?: (ctx: KoaContextWithOIDC, interaction: InteractionInstance) => string | Promise<string> };
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: ClientInstance, code: BaseTokenInstance & { scopes: Set<string> }) => Promise<boolean> | boolean;
    jwks?: { keys: UnknownObject[] };
    loadExistingGrant?: (ctx: KoaContextWithOIDC) => Promise<GrantInstance | undefined>;
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: ClientInstance) => boolean };
    renderError?: (ctx: KoaContextWithOIDC, out: ErrorOut, error: Error) => Promise<void> | void;
    responseTypes?: string[];
    revokeGrantPolicy?: (ctx: KoaContextWithOIDC) => boolean;
    rotateRefreshToken?: boolean | ((ctx: KoaContextWithOIDC) => boolean);
    routes?: Record<string, string>;
    scopes?: string[];
    subjectTypes?: string[];
    ttl?: Record<string, number | TTLFunction>;
    allowOmittingSingleRegisteredRedirectUri?: boolean;
  }

  export class Check {
    constructor(
      reason: string,
      description: string,
      error: string,
      check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>,
      details?: (ctx: KoaContextWithOIDC) => UnknownObject | Promise<UnknownObject>,
    );
    constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    static REQUEST_PROMPT: true;
    static NO_NEED_TO_PROMPT: false;
  }

  export interface Prompt {
    name: string;
    requestable: boolean;
    checks: Check[] & { add(check: Check, index?: number): void; get(reason: string): Check | undefined; remove(reason: string): void };
  }

  export const interactionPolicy: {
    base(): Prompt[] & { get(name: string): Prompt | undefined; add(prompt: Prompt, index?: number): void; remove(name: string): void };
    Check: typeof Check;
  };

  export class OIDCProviderError extends Error {
    error: string;
    error_description?: string;
    status: number;
    statusCode: number;
    expose: boolean;
  }

  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
    InvalidGrant: new (description?: string) => OIDCProviderError;
    InvalidToken: new (description?: string) => OIDCProviderError;
    InvalidRequest: new (description?: string) => OIDCProviderError;
    SessionNotFound: new (description?: string) => OIDCProviderError;
    AccessDenied: new (description?: string) => OIDCProviderError;
  };

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    keys?: (string | Buffer)[];
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionInstance>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    urlFor(name: string, options?: UnknownObject): string;
    on(event: string, listener: (...args: never[]) => void): this;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): this;
    readonly Grant: GrantStatic;
    readonly Interaction: { find(id: string): Promise<InteractionInstance | undefined> };
    readonly Session: { find(id: string): Promise<SessionInstance | undefined>; findByUid(uid: string): Promise<SessionInstance | undefined> };
    readonly Client: { find(id: string): Promise<ClientInstance | undefined> };
    static readonly ctx: KoaContextWithOIDC | undefined;
  }

  export default Provider;
}
