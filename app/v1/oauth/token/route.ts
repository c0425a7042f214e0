import { parseWith, readJson } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { rotateRefreshToken } from "@/lib/tokens/rotate-refresh-token";
import { tokenBody } from "@/lib/tokens/schemas";

export const POST = route(async ({ request, ip, userAgent }) => {
  const body = parseWith(tokenBody, await readJson(request));
  if (body.grant_type !== "refresh_token") throw new ApiError("unsupported_grant_type", "Only `grant_type: \"refresh_token\"` is supported here.");
  return json(await rotateRefreshToken({ refreshToken: body.refresh_token, ip, userAgent }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
