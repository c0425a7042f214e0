import { z } from "zod";

// The response bodies of SPEC §3 as zod schemas. The domain returns plain
// objects; these describe them for /v1/openapi.json and /docs, and
// tests/integration/openapi.test.ts parses real responses with them so the
// description cannot drift from what the API sends.

const seconds = (description: string, example: number) => z.number().int().nonnegative().meta({ description, example });
const timestamp = (description: string) => z.iso.datetime().meta({ description, example: "2026-01-15T09:30:00.000Z" });

export const identityView = z
  .object({
    type: z.enum(["email", "mobile_number", "phone_number", "crypto"]).meta({ description: "What the server decided the identity is: an email address, a mobile or other phone number, or a wallet address.", example: "email" }),
    value: z.string().meta({ description: "The normalised identity: lower-cased email, E.164 number or checksummed address.", example: "hi@trader4.net" }),
    verified_at: timestamp("When the identity was first verified."),
  })
  .meta({ id: "Identity" });

export const userView = z
  .object({
    id: z.string().meta({ description: "The user's stable id (the `sub` of access tokens).", example: "cm5x2k9q80000qz3h7v1b4n6d" }),
    identities: z.array(identityView).meta({ description: "Every verified identity of the user, oldest first." }),
    created_at: timestamp("When the user first signed in."),
  })
  .meta({ id: "User" });

export const codeSent = z
  .object({
    challenge_id: z.string().meta({ description: "Identifies this sign-in attempt.", example: "ch_0p6Tqv1iGk3WcS5Jr9dXyA" }),
    id_type: z.enum(["email", "mobile_number", "phone_number"]).meta({ description: "The identity's type as the server decided it.", example: "email" }),
    channel: z.enum(["email", "sms", "voice"]).meta({ description: "How the code was sent.", example: "email" }),
    expires_in: seconds("Seconds until the code expires.", 300),
    resend_after: seconds("Seconds before another code can be asked for.", 30),
    code_length: z.number().int().positive().meta({ description: "Digits in the code.", example: 6 }),
  })
  .meta({ id: "CodeSent", description: "A code was sent by email, SMS or voice call." });

export const walletChallenge = z
  .object({
    challenge_id: z.string().meta({ description: "Identifies this message: send it to /v1/oauth/verify with the signature.", example: "ch_0p6Tqv1iGk3WcS5Jr9dXyA" }),
    id_type: z.literal("crypto"),
    channel: z.literal("wallet"),
    message: z.string().meta({ description: "The exact text to sign with the wallet (SIWE for Ethereum, BIP-322 for Bitcoin)." }),
    expires_in: seconds("Seconds until the message can no longer be signed.", 300),
  })
  .meta({ id: "WalletChallenge", description: "A wallet address: sign `message` and send the signature to /v1/oauth/verify." });

export const signResponse = z.union([codeSent, walletChallenge]).meta({ id: "SignResponse" });

export const tokenResponse = z
  .object({
    access_token: z.string().meta({ description: "ES256 JWT for `Authorization: Bearer`, verifiable with /.well-known/jwks.json.", example: "eyJhbGciOiJFUzI1NiIsImtpZCI6Ik…" }),
    token_type: z.literal("Bearer"),
    expires_in: seconds("Seconds the access token is valid.", 900),
    refresh_token: z.string().meta({ description: "Opaque; exchange it at /v1/oauth/token. Rotated on every use.", example: "wrt_Yq3mX0bD7wPzK…" }),
    user: userView,
    is_new_user: z.boolean().meta({ description: "True when this sign-in created the user.", example: true }),
  })
  .meta({ id: "TokenResponse" });

export const revokeResponse = z.object({}).meta({ id: "RevokeResponse", description: "Always empty (RFC 7009)." });

export const jwks = z
  .object({
    keys: z.array(
      z.looseObject({
        kty: z.literal("EC"),
        crv: z.literal("P-256"),
        x: z.string(),
        y: z.string(),
        kid: z.string(),
        alg: z.literal("ES256"),
        use: z.literal("sig"),
      }),
    ),
  })
  .meta({ id: "JWKS", description: "The public keys that verify access tokens, matched by `kid`." });

export const qrStarted = z
  .object({
    qr_token: z.string().meta({ description: "`wrf` + 128 random bits; the only thing inside the QR image.", example: "wrfq0Yb9dM1dW2p5cQJQeJm7xA" }),
    qr_url: z.string().meta({ description: "What the QR image encodes: `<PUBLIC_URL>/qr/<qr_token>`.", example: "https://login.example.com/qr/wrfq0Yb9dM1dW2p5cQJQeJm7xA" }),
    poll_token: z.string().meta({ description: "Secret for polling; also set as an HttpOnly SameSite=Strict cookie.", example: "wqp_Hs8Jd2kL9qW3eR5tY7uIo" }),
    expires_in: seconds("Seconds until the QR code expires.", 120),
    interval: seconds("Seconds to wait between short polls.", 2),
  })
  .meta({ id: "QrStarted" });

export const qrWaiting = z
  .object({
    status: z.enum(["pending", "scanned"]).meta({ description: "`scanned` once a signed-in phone opened the QR link.", example: "scanned" }),
    interval: seconds("Seconds to wait before the next short poll.", 2),
    expires_in: seconds("Seconds left.", 110),
  })
  .meta({ id: "QrWaiting" });

export const qrApproved = tokenResponse
  .extend({
    status: z.literal("approved"),
    handoff: z.string().meta({
      description:
        "For a browser screen only: a one-time value, valid for 60 seconds, that the portal's own login page posts to its browser sign-in to open a browser session for this sign-in. Apps ignore it; an access token never opens a browser session.",
      example: "eyJhbGciOiJIUzI1NiIsInR5cCI6ImhhbmRvZmYrand0In0…",
    }),
  })
  .meta({ id: "QrApproved", description: "The tokens of the new session, answered exactly once; later polls get `410 qr_consumed`." });

export const qrPollResponse = z.union([qrWaiting, qrApproved]).meta({ id: "QrPollResponse" });

export const qrRequester = z
  .object({
    browser: z.string().meta({ description: "The requesting screen's browser.", example: "Firefox 128" }),
    os: z.string().meta({ description: "Its operating system.", example: "macOS 14" }),
    ip: z.string().meta({ description: "Its IP address.", example: "203.0.113.7" }),
    location: z.string().meta({ description: "Approximate location, or `Unknown location`.", example: "Unknown location" }),
    created_at: timestamp("When the QR code was shown."),
    expires_in: seconds("Seconds left to approve or deny.", 120),
  })
  .meta({ id: "QrRequester", description: "Who is asking to be signed in, to show before approving." });

export const qrDecided = z
  .object({ status: z.enum(["approved", "denied"]).meta({ example: "approved" }) })
  .meta({ id: "QrDecision" });

export const health = z.object({ status: z.literal("ok") }).meta({ id: "Health" });

export const readiness = z
  .object({
    status: z.enum(["ready", "unavailable"]),
    database: z.enum(["ok", "unreachable"]),
  })
  .meta({ id: "Readiness" });

export const openApiShape = z
  .looseObject({
    openapi: z.literal("3.1.0"),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "OpenApiDocument", description: "An OpenAPI 3.1 document (this one)." });

export const oidcDiscovery = z
  .looseObject({
    issuer: z.string().meta({ description: "The portal's public origin.", example: "https://login.example.com" }),
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    jwks_uri: z.string(),
    response_types_supported: z.array(z.string()),
    subject_types_supported: z.array(z.string()),
    id_token_signing_alg_values_supported: z.array(z.string()),
  })
  .meta({ id: "OpenIdConfiguration", description: "OpenID Connect Discovery 1.0 metadata; fields beyond these are listed by the provider." });
