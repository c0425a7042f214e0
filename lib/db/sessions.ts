import { kysely, type Queryable } from "./kysely";

export type NewSession = { id: string; userId: string; via: string; clientId: string | null; ip: string | null; userAgent: string | null; now: Date; expiresAt: Date };

export async function insertSession(q: Queryable, s: NewSession): Promise<void> {
  await q
    .insertInto("sessions")
    .values({ id: s.id, user_id: s.userId, created_via: s.via, client_id: s.clientId, ip: s.ip, user_agent: s.userAgent, created_at: s.now, last_seen_at: s.now, expires_at: s.expiresAt })
    .execute();
}

/** Ends open sessions, guarded by `revoked_at IS NULL`: one session (`id`) or all of a user's; answers how many it ended. */
export async function revokeSessions(q: Queryable, where: { id?: string; userId?: string }, reason: string, now: Date): Promise<number> {
  let update = q.updateTable("sessions").set({ revoked_at: now, revoked_reason: reason }).where("revoked_at", "is", null);
  if (where.id !== undefined) update = update.where("id", "=", where.id);
  if (where.userId !== undefined) update = update.where("user_id", "=", where.userId);
  if (where.id === undefined && where.userId === undefined) throw new Error("revokeSessions needs a session or a user");
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ends one open session; its user, or undefined when it was not open (or not this user's). */
export async function revokeSession(q: Queryable, input: { id: string; userId?: string; reason: string; now: Date }): Promise<{ userId: string } | undefined> {
  let update = q.updateTable("sessions").set({ revoked_at: input.now, revoked_reason: input.reason }).where("id", "=", input.id).where("revoked_at", "is", null);
  if (input.userId !== undefined) update = update.where("user_id", "=", input.userId);
  return update.returning("user_id as userId").executeTakeFirst();
}

export async function touchSession(q: Queryable, id: string, now: Date, ip: string | null): Promise<void> {
  await q.updateTable("sessions").set({ last_seen_at: now, ip }).where("id", "=", id).execute();
}

/** Last-seen of a browser session, kept at minute grain: one guarded update, a no-op within the minute. */
export async function touchSessionIfStale(id: string, now: Date): Promise<void> {
  await kysely()
    .updateTable("sessions")
    .set({ last_seen_at: now })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .where("last_seen_at", "<", new Date(now.getTime() - 60_000))
    .execute();
}

/** A user's sessions that still work, most recently used first, with the name of the app each belongs to. */
export async function listLiveSessions(userId: string, now: Date, limit: number) {
  return kysely()
    .selectFrom("sessions as s")
    .leftJoin("oidc_clients as c", "c.id", "s.client_id")
    .select(["s.id", "s.user_agent as userAgent", "s.ip", "s.created_via as createdVia", "s.client_id as clientId", "c.name as clientName", "s.created_at as createdAt", "s.last_seen_at as lastSeenAt"])
    .where("s.user_id", "=", userId)
    .where("s.revoked_at", "is", null)
    .where("s.expires_at", ">", now)
    .orderBy("s.last_seen_at", "desc")
    .limit(limit)
    .execute();
}

/** One session as the OIDC code and the bearer check read it. */
export async function findSession(q: Queryable, id: string) {
  return q
    .selectFrom("sessions")
    .select(["user_id as userId", "created_via as createdVia", "client_id as clientId", "created_at as createdAt", "last_seen_at as lastSeenAt", "expires_at as expiresAt", "revoked_at as revokedAt"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/**
 * Opens a session, or — when its id exists (an app's session, one per grant) —
 * slides it forward: one INSERT … ON CONFLICT, so two opening at once cannot
 * both insert. Answers the row's owner and whether it was signed out.
 */
export async function openOrTouchSession(q: Queryable, s: NewSession): Promise<{ userId: string; revokedAt: Date | null }> {
  return q
    .insertInto("sessions")
    .values({ id: s.id, user_id: s.userId, created_via: s.via, client_id: s.clientId, ip: s.ip, user_agent: s.userAgent, created_at: s.now, last_seen_at: s.now, expires_at: s.expiresAt })
    .onConflict((oc) => oc.column("id").doUpdateSet({ last_seen_at: s.now, expires_at: s.expiresAt }))
    .returning(["user_id as userId", "revoked_at as revokedAt"])
    .executeTakeFirstOrThrow();
}

/** Slides an open session forward (last seen, expiry), guarded by `revoked_at IS NULL`. */
export async function slideSession(q: Queryable, id: string, now: Date, expiresAt: Date): Promise<void> {
  await q.updateTable("sessions").set({ last_seen_at: now, expires_at: expiresAt }).where("id", "=", id).where("revoked_at", "is", null).execute();
}

/** Ends open app ("oidc") sessions — one (`id`), a user's for an app, or an app's — in one guarded statement; answers those it ended. */
export async function revokeAppSessions(
  q: Queryable,
  where: { id?: string; userId?: string; clientId?: string },
  reason: string,
  now: Date,
): Promise<{ userId: string; clientId: string | null }[]> {
  if (where.id === undefined && where.userId === undefined && where.clientId === undefined) throw new Error("revokeAppSessions needs a session, a user or an app");
  let update = q.updateTable("sessions").set({ revoked_at: now, revoked_reason: reason }).where("created_via", "=", "oidc").where("revoked_at", "is", null);
  if (where.id !== undefined) update = update.where("id", "=", where.id);
  if (where.userId !== undefined) update = update.where("user_id", "=", where.userId);
  if (where.clientId !== undefined) update = update.where("client_id", "=", where.clientId);
  return update.returning(["user_id as userId", "client_id as clientId"]).execute();
}

/** A user's live app ("oidc") sessions: the app and when it was last used. */
export async function listLiveAppSessions(userId: string, now: Date): Promise<{ clientId: string; lastSeenAt: Date }[]> {
  const rows = await kysely()
    .selectFrom("sessions")
    .select(["client_id as clientId", "last_seen_at as lastSeenAt"])
    .where("user_id", "=", userId)
    .where("created_via", "=", "oidc")
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .where("client_id", "is not", null)
    .execute();
  return rows.flatMap((row) => (row.clientId ? [{ clientId: row.clientId, lastSeenAt: row.lastSeenAt }] : []));
}
