import { ApiError } from "@/lib/http/errors";
import { revokeSession } from "@/lib/sessions/revoke-session";

/** Signs one of the user's devices out from the account page. Another user's session id is "not found". */
export async function revokeDevice(input: { userId: string; sessionId: string; ip?: string }): Promise<void> {
  const revoked = await revokeSession({ sessionId: input.sessionId, reason: "revoked_from_account", userId: input.userId, ip: input.ip });
  if (!revoked) throw new ApiError("not_found", "This session has already ended.");
}
