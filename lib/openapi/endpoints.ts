import type { z } from "zod";
import type { ErrorCode } from "@/lib/http/errors";
import { signBody, verifyBody } from "@/lib/otp/schemas";
import { revokeBody, tokenBody } from "@/lib/tokens/schemas";
import { qrAuthorizeBody, qrAuthorizeQuery, qrPollBody } from "@/lib/qr/schemas";
import * as res from "./responses";

export type Endpoint = {
  method: "get" | "post";
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description: string;
  /** Bearer access token required. */
  bearer?: boolean;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyExample?: Record<string, unknown>;
  response: { status: number; description: string; schema: z.ZodType; example: unknown; headers?: Record<string, string> };
  /** Other statuses answered with the same body shape (not the error envelope). */
  alsoAnswers?: { status: number; description: string; example: unknown }[];
  /** Answers without the route wrapper, so never with `500 server_error`. */
  infallible?: boolean;
  /** The error codes this endpoint answers with, and when (falls back to ERROR_MEANING when empty). */
  errors: Partial<Record<ErrorCode, string>>;
};

export const TAGS = {
  "Sign-in": "Start a sign-in with an identity, then finish it with the code (or wallet signature).",
  Tokens: "Refresh, revoke and use the tokens a sign-in returns.",
  "QR login": "Sign in on a screen by scanning a QR code with a phone where you are already signed in.",
  "OpenID Connect": "For other websites: send people to the hosted login page with the authorization code flow and PKCE. Point any certified OpenID Connect client library at the discovery document; clients are registered with `npm run client -- add`.",
  Service: "Keys, health and this description.",
} as const;
export type Tag = keyof typeof TAGS;

const EXAMPLE_USER = {
  id: "cm5x2k9q80000qz3h7v1b4n6d",
  identities: [{ type: "email", value: "hi@trader4.net", verified_at: "2026-01-15T09:30:00.000Z" }],
  created_at: "2026-01-15T09:30:00.000Z",
} as const;
const EXAMPLE_ACCESS = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjNaVzhWIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJjbTV4Mms5cTgwMDAwcXozaDd2MWI0bjZkIn0.sig";
const EXAMPLE_REFRESH = "wrt_Yq3mX0bD7wPzK2rT9vLc4eHn8sUj1aGf6iNoQ5RyWtE";
const EXAMPLE_QR = "wrfq0Yb9dM1dW2p5cQJQeJm7xA";
const EXAMPLE_POLL = "wqp_Hs8Jd2kL9qW3eR5tY7uIo";
const QR_TOKEN_ERRORS = {
  invalid_request: "`qr_token` is missing.",
  invalid_token: "No valid access token: the phone must be signed in.",
  access_denied: "Sent with the portal's browser session from another site.",
  qr_not_found: "No QR sign-in has this token.",
  qr_already_used: "Another account scanned it first, or it was already decided.",
  expired_token: "The QR code expired.",
} satisfies Endpoint["errors"];

/** Every endpoint of SPEC §3, in the order the reference lists them. */
export const ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/v1/oauth/sign",
    operationId: "startSignIn",
    tag: "Sign-in",
    summary: "Start a sign-in",
    description:
      "Sends a one-time code to an email address (email), a mobile number (SMS, or a voice call with `channel: \"voice\"`) or a landline (voice call). For a wallet address it returns the message to sign instead. The answer is the same whether or not the identity has an account, and a new request replaces the identity's previous unused code; a wallet address may have several messages out at once, so asking for a new one cancels nobody's.",
    body: signBody,
    bodyExample: { id: "hi@trader4.net" },
    response: {
      status: 200,
      description: "A code is on its way (or, for a wallet, the message to sign).",
      schema: res.signResponse,
      example: { challenge_id: "ch_0p6Tqv1iGk3WcS5Jr9dXyA", id_type: "email", channel: "email", expires_in: 300, resend_after: 30, code_length: 6 },
    },
    errors: {
      invalid_request: "The body is not a JSON object with a string `id`, or `channel: \"sms\"` was asked for a landline.",
      invalid_identity: "",
      region_not_allowed: "",
      rate_limited:
        "A code was sent to this identity less than `resend_after` seconds ago (`reason: resend_cooldown`), or the per-identity (`sends_per_identity`), per-IP (`ip_limit`) or SMS (`sms_hourly_cap`) limits were reached.",
      delivery_failed: "",
    },
  },
  {
    method: "post",
    path: "/v1/oauth/verify",
    operationId: "verifyCode",
    tag: "Sign-in",
    summary: "Finish a sign-in",
    description:
      "Checks the code sent by /v1/oauth/sign and returns tokens. The first successful verification of an unknown identity creates the user. An integer code is left-padded (`12345` is `\"012345\"`). For a wallet, send the signature as `code` or `signature`, and the `challenge_id` that sign returned with the message: the signature is then checked against exactly that message, and only wrong signatures sent with that id use up its tries (nobody who knows only the address can). A wallet address is never locked by failures. Of many concurrent verifications of one code exactly one succeeds.",
    body: verifyBody,
    bodyExample: { id: "hi@trader4.net", code: "012345" },
    response: {
      status: 200,
      description: "Signed in.",
      schema: res.tokenResponse,
      example: { access_token: EXAMPLE_ACCESS, token_type: "Bearer", expires_in: 900, refresh_token: EXAMPLE_REFRESH, user: EXAMPLE_USER, is_new_user: true },
    },
    errors: {
      invalid_request: "",
      invalid_identity: "",
      invalid_code: "The code is wrong, or no code is waiting for this identity; `attempts_remaining` counts down.",
      expired_code: "",
      too_many_attempts:
        "Five wrong tries killed the code (`reason: code_dead`; for a wallet: five wrong signatures sent with this `challenge_id`), or too many failures locked the email or phone identity until `Retry-After` (`reason: identity_locked`).",
      rate_limited: "Too many verifications from this IP address.",
    },
  },
  {
    method: "post",
    path: "/v1/oauth/token",
    operationId: "refreshTokens",
    tag: "Tokens",
    summary: "Refresh the tokens",
    description:
      "Exchanges a refresh token for a new access token and a new refresh token. Every refresh token works once: presenting one that was already used ends the whole session (reuse detection).",
    body: tokenBody,
    bodyExample: { grant_type: "refresh_token", refresh_token: EXAMPLE_REFRESH },
    response: {
      status: 200,
      description: "New tokens; the old refresh token no longer works.",
      schema: res.tokenResponse,
      example: { access_token: EXAMPLE_ACCESS, token_type: "Bearer", expires_in: 900, refresh_token: "wrt_Hc2nR8vK1mQ7xT4bW9zL0pYs3dFgJ6aUeNiO5tEr2Wq", user: EXAMPLE_USER, is_new_user: false },
    },
    errors: { invalid_request: "", unsupported_grant_type: "", invalid_grant: "" },
  },
  {
    method: "post",
    path: "/v1/oauth/revoke",
    operationId: "revokeToken",
    tag: "Tokens",
    summary: "Sign out (revoke a token)",
    description:
      "Ends the session behind a refresh token or an access token; its access tokens are refused from the next request on. Answers 200 whether or not the token was known (RFC 7009).",
    body: revokeBody,
    bodyExample: { token: EXAMPLE_REFRESH },
    response: { status: 200, description: "Revoked, or there was nothing to revoke.", schema: res.revokeResponse, example: {} },
    errors: { invalid_request: "" },
  },
  {
    method: "get",
    path: "/v1/oauth/userinfo",
    operationId: "getUser",
    tag: "Tokens",
    summary: "Get the signed-in user",
    description: "The user behind an access token, while its session is alive.",
    bearer: true,
    response: { status: 200, description: "The user.", schema: res.userView, example: EXAMPLE_USER },
    errors: { invalid_token: "" },
  },
  {
    method: "get",
    path: "/v1/oauth/qr",
    operationId: "startQrLogin",
    tag: "QR login",
    summary: "Show a QR code",
    description:
      "Starts a QR sign-in for the screen that calls it. Render `qr_url` as a QR code and poll POST /v1/oauth/qr until it is approved. The poll token is also set as an HttpOnly, SameSite=Strict cookie.",
    response: {
      status: 200,
      description: "A new QR sign-in, waiting to be scanned.",
      schema: res.qrStarted,
      example: { qr_token: EXAMPLE_QR, qr_url: `https://login.example.com/qr/${EXAMPLE_QR}`, poll_token: EXAMPLE_POLL, expires_in: 120, interval: 2 },
      headers: { "Set-Cookie": "The poll token, HttpOnly and SameSite=Strict." },
    },
    errors: { rate_limited: "Too many QR codes requested from this IP address." },
  },
  {
    method: "post",
    path: "/v1/oauth/qr",
    operationId: "pollQrLogin",
    tag: "QR login",
    summary: "Poll a QR code",
    description:
      "Without `wait` it answers at once; with `wait: N` it holds the request up to N seconds and answers as soon as the status changes. The approval, with the tokens and a one-time browser `handoff`, is answered exactly once. Long polls held at once are capped per QR code (two by default) and per IP address, and polls per minute per IP address.",
    body: qrPollBody,
    bodyExample: { qr_token: EXAMPLE_QR, poll_token: EXAMPLE_POLL, wait: 25 },
    response: {
      status: 200,
      description: "Still waiting (`pending`, `scanned`) or `approved` with tokens.",
      schema: res.qrPollResponse,
      example: { status: "scanned", interval: 2, expires_in: 95 },
    },
    errors: {
      invalid_request: "The poll token is missing or wrong, or no QR sign-in has this token.",
      access_denied: "",
      expired_token: "",
      qr_consumed: "",
      slow_down: "Short polls closer than a second apart, or this QR code or IP address already has as many long polls held as it may. `Retry-After` says when to poll again.",
      rate_limited: "Too many polls from this IP address in the last minute.",
      temporarily_unavailable: "The server is shutting down, or holds as many long polls as it can; poll again.",
    },
  },
  {
    method: "get",
    path: "/v1/oauth/qr/authorize",
    operationId: "scanQrCode",
    tag: "QR login",
    summary: "Scan a QR code",
    description:
      "Called by the signed-in phone that scanned the code: binds the QR sign-in to the caller's account (`pending` → `scanned`) and returns who is asking, to show before approving. Scanning again from the same account answers the same; another account gets 409.",
    bearer: true,
    query: qrAuthorizeQuery,
    response: {
      status: 200,
      description: "The requesting screen's context.",
      schema: res.qrRequester,
      example: { browser: "Firefox 128", os: "macOS 14", ip: "203.0.113.7", location: "Unknown location", created_at: "2026-01-15T09:30:00.000Z", expires_in: 118 },
    },
    errors: QR_TOKEN_ERRORS,
  },
  {
    method: "post",
    path: "/v1/oauth/qr/authorize",
    operationId: "decideQrLogin",
    tag: "QR login",
    summary: "Approve or deny a QR code",
    description:
      "Approves (default) or denies the sign-in, from `pending` or from `scanned` by the same account. The waiting screen learns the decision on its next poll and has 60 seconds to collect the tokens.",
    bearer: true,
    body: qrAuthorizeBody,
    bodyExample: { qr_token: EXAMPLE_QR, decision: "approve" },
    response: { status: 200, description: "Decided.", schema: res.qrDecided, example: { status: "approved" } },
    errors: { ...QR_TOKEN_ERRORS, invalid_request: "The body is not a JSON object with a string `qr_token`." },
  },
  {
    method: "get",
    path: "/.well-known/openid-configuration",
    operationId: "openIdConfiguration",
    tag: "OpenID Connect",
    summary: "Discovery document",
    description:
      "Where the authorization, token, userinfo and logout endpoints are, and what they support (authorization code flow only, PKCE S256 required, RS256 and ES256 ID tokens). Answered by the certified OpenID provider itself.",
    response: {
      status: 200,
      description: "The provider's metadata.",
      schema: res.oidcDiscovery,
      example: {
        issuer: "https://login.example.com",
        authorization_endpoint: "https://login.example.com/api/oidc/auth",
        token_endpoint: "https://login.example.com/api/oidc/token",
        userinfo_endpoint: "https://login.example.com/api/oidc/userinfo",
        end_session_endpoint: "https://login.example.com/api/oidc/logout",
        jwks_uri: "https://login.example.com/api/oidc/jwks",
        scopes_supported: ["openid", "offline_access", "email", "phone", "wallet"],
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256", "ES256"],
        code_challenge_methods_supported: ["S256"],
        authorization_response_iss_parameter_supported: true,
      },
    },
    errors: {},
  },
  {
    method: "get",
    path: "/.well-known/jwks.json",
    operationId: "getJwks",
    tag: "Service",
    summary: "Public signing keys",
    description: "The keys that verify access tokens (ES256), matched by the token's `kid`. Cache for up to five minutes.",
    response: {
      status: 200,
      description: "The JSON Web Key Set.",
      schema: res.jwks,
      example: { keys: [{ kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", kid: "3ZW8V", alg: "ES256", use: "sig" }] },
    },
    errors: {},
  },
  {
    method: "get",
    path: "/healthz",
    operationId: "health",
    tag: "Service",
    summary: "Liveness",
    description: "Answers while the process is up; it does not touch the database.",
    response: { status: 200, description: "Up.", schema: res.health, example: { status: "ok" } },
    infallible: true,
    errors: {},
  },
  {
    method: "get",
    path: "/readyz",
    operationId: "readiness",
    tag: "Service",
    summary: "Readiness",
    description: "Answers 200 when the database is reachable and 503 when it is not, with the same body shape.",
    response: { status: 200, description: "Ready to serve.", schema: res.readiness, example: { status: "ready", database: "ok" } },
    alsoAnswers: [{ status: 503, description: "The database is unreachable.", example: { status: "unavailable", database: "unreachable" } }],
    errors: {},
  },
  {
    method: "get",
    path: "/v1/openapi.json",
    operationId: "openApi",
    tag: "Service",
    summary: "This API description",
    description: "OpenAPI 3.1 of every endpoint above. The request and response schemas are generated from the ones the server validates with.",
    response: { status: 200, description: "The OpenAPI document.", schema: res.openApiShape, example: { openapi: "3.1.0", info: { title: "Werify Portal API", version: "1" }, paths: {} } },
    errors: {},
  },
];
