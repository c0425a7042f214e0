import { route } from "@/lib/http/route";
import { continueInteraction } from "@/lib/oidc/continue-interaction";
import { interactionResponse } from "@/lib/oidc/interaction-response";

// Where oidc-provider sends the browser when an app's request needs the user: sign-in, then consent.
export const GET = route<{ uid: string }, Request>(async ({ request }, { uid }) => interactionResponse(await continueInteraction({ uid, headers: request.headers })));
