import { parseWith, readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { signBody } from "@/lib/otp/schemas";
import { startSignIn } from "@/lib/otp/start-sign-in";

export const POST = route(async ({ request, ip, userAgent }) => {
  const body = parseWith(signBody, await readJson(request));
  return json(await startSignIn({ id: body.id, channel: body.channel, ip, userAgent }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
