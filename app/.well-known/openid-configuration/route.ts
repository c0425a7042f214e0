import { route } from "@/lib/http/route";
import { discoveryDocument } from "@/lib/oidc/discovery";

// The issuer is PUBLIC_URL itself, so discovery sits at the site root while the endpoints live under /api/oidc.
export const GET = route<Record<string, never>, Request>(async ({ request }) => discoveryDocument({ headers: request.headers }));
