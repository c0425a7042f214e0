import { parseWith, readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { verifyBody } from "@/lib/otp/schemas";
import { signInWithCode } from "@/lib/otp/sign-in-with-code";

export const POST = route(async ({ request, ip, userAgent }) => {
  const body = parseWith(verifyBody, await readJson(request));
  return json(await signInWithCode({ id: body.id, code: body.code ?? body.signature ?? "", challengeId: body.challenge_id, ip, userAgent }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
