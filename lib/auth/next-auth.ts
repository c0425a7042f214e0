import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { secretFor } from "@/lib/config/secrets";
import { ApiError } from "@/lib/http/errors";
import { completeSignIn } from "@/lib/otp/sign-in-with-code";
import { readAccessToken } from "@/lib/tokens/access-token";
import { sessionAlive } from "./authenticate";

type Headers = Record<string, string | string[] | undefined> | undefined;

function header(headers: Headers, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The browser's error for a failed sign-in: the API's own envelope, as JSON, through next-auth's `error` string. */
function asSignInError(error: unknown): never {
  if (error instanceof ApiError) {
    throw new Error(JSON.stringify({ error: error.code, error_description: error.description, retry_after: error.extra.retryAfter, ...error.extra.fields }));
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
  return {
    secret: secretFor("nextauth").toString("base64url"),
    session: { strategy: "jwt", maxAge: cfg.REFRESH_TOKEN_TTL_DAYS * 86_400 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "portal",
        name: cfg.APP_NAME,
        credentials: { id: { type: "text" }, code: { type: "text" }, access_token: { type: "text" } },
        async authorize(credentials, req) {
          const ip = header(req.headers, "x-werify-client-ip") ?? "unknown";
          const userAgent = header(req.headers, "user-agent");
          // A session the portal already opened (QR approval): adopt it after checking it is alive.
          if (credentials?.access_token) {
            const claims = await readAccessToken(credentials.access_token);
            if (!claims || !(await sessionAlive(claims.sid, claims.sub))) return null;
            return { id: claims.sub, sid: claims.sid };
          }
          if (!credentials?.id || !credentials.code) return null;
          try {
            const signedIn = await completeSignIn({ id: credentials.id, code: credentials.code, ip, userAgent });
            return { id: signedIn.userId, sid: signedIn.sessionId };
          } catch (error) {
            return asSignInError(error);
          }
        },
      }),
    ],
    callbacks: {
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
