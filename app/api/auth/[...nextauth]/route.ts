import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

const handler = route<{ nextauth: string[] }, NextRequest>(async ({ request }, params) => {
  // next-auth answers a GET of the credentials callback with a 500; only the sign-in form's POST means anything there.
  if (params.nextauth[0] === "callback" && request.method !== "POST") {
    throw new ApiError("method_not_allowed", "Sign-in callbacks are POSTed by the sign-in form.", { headers: { allow: "POST" } });
  }
  return NextAuth(request, { params } as never, authOptions());
});

export { handler as GET, handler as POST };
