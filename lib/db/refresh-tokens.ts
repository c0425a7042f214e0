import { newId } from "./ids";
import type { Queryable } from "./kysely";

export async function insertRefreshToken(q: Queryable, t: { id?: string; sessionId: string; tokenHash: string; now: Date; expiresAt: Date }): Promise<void> {
  await q.insertInto("refresh_tokens").values({ id: t.id ?? newId(), session_id: t.sessionId, token_hash: t.tokenHash, created_at: t.now, expires_at: t.expiresAt }).execute();
}

/**
 * Marks an unused, unexpired token of a live session used, guarded: one
 * statement, so of two concurrent uses exactly one wins.
 */
export async function useRefreshToken(q: Queryable, tokenHash: string, now: Date): Promise<boolean> {
  const result = await q
    .updateTable("refresh_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("sessions")
          .select("sessions.id")
          .whereRef("sessions.id", "=", "refresh_tokens.session_id")
          .where("sessions.revoked_at", "is", null)
          .where("sessions.expires_at", ">", now),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A refresh token with what rotation needs of its session. */
export async function findRefreshToken(q: Queryable, tokenHash: string) {
  return q
    .selectFrom("refresh_tokens as t")
    .innerJoin("sessions as s", "s.id", "t.session_id")
    .select(["t.session_id as sessionId", "t.used_at as usedAt", "s.user_id as userId", "s.ip as sessionIp", "s.revoked_at as revokedAt"])
    .where("t.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** The session a refresh token belongs to, if the token is known. */
export async function sessionOfRefreshToken(q: Queryable, tokenHash: string): Promise<string | undefined> {
  return (await q.selectFrom("refresh_tokens").select("session_id").where("token_hash", "=", tokenHash).executeTakeFirst())?.session_id;
}
