// "Acme": a tiny third-party site that offers "Sign in with Werify". It is its
// own process on its own port and uses only a standard OpenID Connect client
// library (openid-client v6), exactly as a real site would: discovery, PKCE,
// state and nonce, the code exchange, the ID token and userinfo, and
// RP-initiated logout. Configured by ISSUER, CLIENT_ID, CLIENT_SECRET, PORT.
import http from "node:http";
import { randomBytes } from "node:crypto";
import * as client from "openid-client";

const { ISSUER, CLIENT_ID, CLIENT_SECRET, PORT = "0", HOST = "127.0.0.1" } = process.env;
if (!ISSUER || !CLIENT_ID) throw new Error("set ISSUER and CLIENT_ID");

let origin = "";
let configuration;
const pending = new Map(); // login id -> { verifier, state, nonce }
const sessions = new Map(); // session id -> { email, sub, idToken, accessToken }

async function oidc() {
  // The portal is plain http on localhost in tests; a real site would not need this.
  configuration ??= await client.discovery(new URL(ISSUER), CLIENT_ID, CLIENT_SECRET, undefined, { execute: [client.allowInsecureRequests] });
  return configuration;
}

function cookies(req) {
  return Object.fromEntries((req.headers.cookie ?? "").split(";").map((p) => p.trim().split("=")).filter(([k]) => k));
}

function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function page(res, body, status = 200) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem"><h1>Acme</h1>${body}</body></html>`);
}

function redirect(res, location, setCookie) {
  res.writeHead(303, { location, ...(setCookie ? { "set-cookie": setCookie } : {}) });
  res.end();
}

async function handle(req, res) {
  const url = new URL(req.url, origin);
  const jar = cookies(req);
  const session = sessions.get(jar.acme_session);

  if (url.pathname === "/") {
    if (session) {
      // Like a careful site, Acme checks its access still holds: removing it on the portal takes effect at once.
      try {
        await client.fetchUserInfo(await oidc(), session.accessToken, session.sub);
        return page(res, `<p>Signed in as <strong data-testid="rp-email">${escape(session.email)}</strong></p><p><a href="/logout">Sign out</a></p>`);
      } catch {
        sessions.delete(jar.acme_session);
        return page(res, `<p data-testid="rp-ended">Your Werify sign-in ended.</p><p><a href="/login">Sign in with Werify</a></p>`);
      }
    }
    return page(res, `<p>Welcome to Acme.</p><p><a href="/login">Sign in with Werify</a></p>`);
  }

  if (url.pathname === "/login") {
    const config = await oidc();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const id = randomBytes(16).toString("hex");
    pending.set(id, { verifier, state, nonce });
    const target = client.buildAuthorizationUrl(config, {
      redirect_uri: `${origin}/callback`,
      scope: "openid email",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return redirect(res, target.href, `acme_login=${id}; Path=/; HttpOnly; SameSite=Lax`);
  }

  if (url.pathname === "/callback") {
    const login = pending.get(jar.acme_login);
    pending.delete(jar.acme_login);
    if (!login) return page(res, `<p role="alert">This sign-in expired. <a href="/">Start again</a></p>`, 400);
    try {
      const config = await oidc();
      const tokens = await client.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: login.verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      const id = randomBytes(16).toString("hex");
      sessions.set(id, { email: info.email, sub: claims.sub, idToken: tokens.id_token, accessToken: tokens.access_token });
      return redirect(res, "/", `acme_session=${id}; Path=/; HttpOnly; SameSite=Lax`);
    } catch (error) {
      const reason = error instanceof client.AuthorizationResponseError ? error.error : "sign_in_failed";
      return page(res, `<p role="alert">Signing in with Werify did not work: <code data-testid="rp-error">${escape(reason)}</code></p><p><a href="/">Back</a></p>`, 400);
    }
  }

  if (url.pathname === "/logout") {
    sessions.delete(jar.acme_session);
    const config = await oidc();
    const target = client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: `${origin}/signed-out`,
      ...(session ? { id_token_hint: session.idToken } : {}),
      state: "acme-logout",
    });
    return redirect(res, target.href, "acme_session=; Path=/; Max-Age=0");
  }

  if (url.pathname === "/signed-out") {
    return page(res, `<p data-testid="rp-signed-out">You're signed out of Acme.</p><p><a href="/">Home</a></p>`);
  }

  page(res, "<p>Not found</p>", 404);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => page(res, `<p role="alert">Acme failed: ${escape(error.message)}</p>`, 500));
});
server.listen(Number(PORT), HOST, () => {
  origin = `http://localhost:${server.address().port}`;
  process.stdout.write(`acme listening on ${origin}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
