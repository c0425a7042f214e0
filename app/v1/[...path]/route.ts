import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

// Any /v1 path without a route of its own: a JSON 404, never the HTML page.
const notFound = route(() => {
  throw new ApiError("not_found", "There is no API endpoint at this path. See /v1/openapi.json.");
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
