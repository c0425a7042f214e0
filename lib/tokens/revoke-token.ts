import { kysely } from "@/lib/db/kysely";
import { sessionOfRefreshToken } from "@/lib/db/refresh-tokens";
import { revokeSession } from "@/lib/sessions/revoke-session";
import { readAccessToken } from "./access-token";
import { hashToken } from "./hash";

/** RFC 7009: ends the session behind a refresh or access token; silent about tokens it does not know. */
export async function revokeToken(input: { token: string; ip?: string }): Promise<void> {
  const sessionId = (await sessionOfRefreshToken(kysely(), hashToken(input.token))) ?? (await readAccessToken(input.token))?.sid;
  if (sessionId) await revokeSession({ sessionId, reason: "revoked_by_client", ip: input.ip });
}
