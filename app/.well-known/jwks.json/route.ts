import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { publicJwks } from "@/lib/tokens/access-token";

export const GET = route(async () => json(await publicJwks(), 200, { "cache-control": "public, max-age=300" }));
