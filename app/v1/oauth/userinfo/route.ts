import { authenticateBearer } from "@/lib/auth/authenticate";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { currentUser } from "@/lib/users/current-user";

export const GET = route(async ({ request }) => {
  const principal = await authenticateBearer(request);
  return json(await currentUser(principal.userId));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
