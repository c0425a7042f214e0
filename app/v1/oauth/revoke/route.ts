import { parseWith, readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { revokeBody } from "@/lib/tokens/schemas";

// RFC 7009: 200 whether or not the token was known.
export const POST = route(async ({ request, ip }) => {
  const body = parseWith(revokeBody, await readJson(request));
  await revokeToken({ token: body.token, ip });
  return json({});
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
