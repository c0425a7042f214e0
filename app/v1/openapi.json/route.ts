import { config } from "@/lib/config";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { openApiDocument } from "@/lib/openapi/build-document";

export const GET = route(() => {
  const { publicOrigin, APP_NAME } = config();
  return json(openApiDocument({ serverUrl: publicOrigin, appName: APP_NAME }), 200, {
    "cache-control": "public, max-age=300",
    "access-control-allow-origin": "*",
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
