import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { secretFor } from "@/lib/config/secrets";
import { ApiError, envelopeOf } from "@/lib/http/errors";
import { redirectUrl } from "@/lib/http/safe-redirect";
import { completeSignIn } from "@/lib/otp/sign-in-with-code";
import { sessionAlive } from "./authenticate";
import { nextAuthCookies, secureCookies } from "./browser-cookies";
import { redeemBrowserHandoff } from "./browser-handoff";

type Headers = Record<string, string | string[] | undefined> | undefined;

function header(headers: Headers, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The browser's error for a failed sign-in: the API's own envelope, as JSON, through next-auth's `error` string. */
function asSignInError(error: unknown): never {
  if (error instanceof ApiError) {
    throw new Error(JSON.stringify(envelopeOf(error, { retryAfterInBody: true })));
  }
  throw error;
}

/**
 * The portal's browser session (next-auth v4, JWT strategy). Every JWT names a
 * portal session row (`sid`); once that row is revoked the JWT stops working on
 * the next request, whatever its expiry says.
 */
export function authOptions(): NextAuthOptions {
  const cfg = config();
  // next-auth v4 takes its own URL only from NEXTAUTH_URL, read on each request (else it assumes http://localhost:3000).
  process.env.NEXTAUTH_URL = `${cfg.publicOrigin}/api/auth`;
  const secure = secureCookies();
  return {
    secret: secretFor("nextauth").toString("base64url"),
    useSecureCookies: secure,
    cookies: nextAuthCookies(secure),
    session: { strategy: "jwt", maxAge: cfg.REFRESH_TOKEN_TTL_DAYS * 86_400 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "portal",
        name: cfg.APP_NAME,
        credentials: { id: { type: "text" }, code: { type: "text" }, challenge_id: { type: "text" }, handoff: { type: "text" } },
        async authorize(credentials, req) {
          const ip = header(req.headers, "x-werify-client-ip") ?? "unknown";
          const userAgent = header(req.headers, "user-agent");
          // A session this browser's own sign-in opened elsewhere (QR approval): adopted only through its one-time
          // handoff, never through an API access token, which would turn any leaked token into a browser session.
          if (credentials?.handoff) {
            const handoff = await redeemBrowserHandoff(credentials.handoff);
            return handoff ? { id: handoff.userId, sid: handoff.sessionId } : null;
          }
          if (!credentials?.id || !credentials.code) return null;
          try {
            const signedIn = await completeSignIn({ id: credentials.id, code: credentials.code, challengeId: credentials.challenge_id || undefined, ip, userAgent });
            return { id: signedIn.userId, sid: signedIn.sessionId };
          } catch (error) {
            return asSignInError(error);
          }
        },
      }),
    ],
    callbacks: {
      // callbackUrl (query, body or cookie) goes through the portal's one redirect validator.
      redirect: ({ url }) => redirectUrl(url) ?? `${config().publicOrigin}/`,
      async jwt({ token, user }) {
        if (user?.sid) token.sid = user.sid;
        return token;
      },
      async session({ session, token }) {
        // Throwing makes next-auth drop the cookie and answer "signed out".
        if (!token.sub || typeof token.sid !== "string" || !(await sessionAlive(token.sid, token.sub))) throw new Error("session ended");
        return { ...session, user: { ...session.user, id: token.sub }, sid: token.sid } as typeof session;
      },
    },
  };
}
