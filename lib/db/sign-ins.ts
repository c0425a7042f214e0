import { config } from "@/lib/config";
import { insertAuditEvent, type NewAuditEvent } from "./audit-events";
import { consumeChallenge, newestActive, type Challenge } from "./challenges";
import { findIdentityByValue, insertIdentity } from "./identities";
import { kysely, transaction, type Tx } from "./kysely";
import { countEvents, findBucket, type Bucket } from "./rate-limit-buckets";
import { insertRefreshToken } from "./refresh-tokens";
import { insertSession, type NewSession } from "./sessions";
import { deleteUser, insertUser, userWithIdentities } from "./users";

/**
 * The sign-in aggregate: the statements of a code sign-in that span several
 * tables. On PostgreSQL each step is one statement (data-modifying CTEs, which
 * commit or fail as one); SQLite allows no INSERT/UPDATE inside WITH, so there
 * each step is the same changes as a few statements, in one transaction where
 * they must commit together (in-process, so cheap).
 */

export type CodeLookup = {
  /** the counters, as counted */
  counted: Bucket[];
  /** the identity's failure window, read (not counted) */
  lock: Bucket | undefined;
  /** the identity's newest active challenge */
  newest: Challenge | undefined;
};

/**
 * The first step of a verification: counts the caller's limits (one upsert),
 * reads the identity's failure window and its newest active code. One statement on PostgreSQL.
 */
export async function countAndFindCode(input: { counters: { key: string; resetAt: number }[]; lockKey: string; identityValue: string; owner: string | null; now: number }): Promise<CodeLookup> {
  if (!config().postgres) {
    const counted = await countEvents(input.counters, input.now);
    const lock = await findBucket(input.lockKey);
    const newest = await newestActive(input.identityValue, input.owner);
    return { counted, lock, newest };
  }
  const now = input.now;
  const rows = await kysely()
    .with("counted", (db) =>
      db
        .insertInto("rate_limit_buckets")
        .values(input.counters.map((c) => ({ key: c.key, count: 1, reset_at: c.resetAt })))
        .onConflict((oc) =>
          oc.column("key").doUpdateSet((eb) => ({
            count: eb.case().when("rate_limit_buckets.reset_at", "<=", now).then(1).else(eb("rate_limit_buckets.count", "+", 1)).end(),
            reset_at: eb.case().when("rate_limit_buckets.reset_at", "<=", now).then(eb.ref("excluded.reset_at")).else(eb.ref("rate_limit_buckets.reset_at")).end(),
          })),
        )
        .returning(["key", "count", "reset_at"]),
    )
    .selectFrom("counted")
    .leftJoin(
      (eb) => eb.selectFrom("rate_limit_buckets").select(["key as lockKey", "count as lockCount", "reset_at as lockResetAt"]).where("key", "=", input.lockKey).as("lock"),
      (join) => join.onTrue(),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("challenges")
          .select(["id", "identity_value as identityValue", "channel", "code_hash as codeHash", "nonce", "message", "attempts", "expires_at as expiresAt"])
          .where("status", "=", "active")
          .where("user_id", input.owner === null ? "is" : "=", input.owner)
          .where("identity_value", "=", input.identityValue)
          .orderBy("created_at", "desc")
          .limit(1)
          .as("newest"),
      (join) => join.onTrue(),
    )
    .selectAll("counted")
    .selectAll("lock")
    .selectAll("newest")
    .execute();
  const first = rows[0];
  return {
    counted: rows.map((r) => ({ key: r.key, count: r.count, resetAt: r.reset_at })),
    lock: first?.lockKey != null ? { key: first.lockKey, count: first.lockCount!, resetAt: first.lockResetAt! } : undefined,
    newest:
      first?.id != null
        ? {
            id: first.id,
            identityValue: first.identityValue!,
            channel: first.channel!,
            codeHash: first.codeHash ?? null,
            nonce: first.nonce ?? null,
            message: first.message ?? null,
            attempts: first.attempts!,
            expiresAt: first.expiresAt!,
          }
        : undefined,
  };
}

export type SignIn = {
  challengeId: string;
  maxAttempts: number;
  identity: { type: string; value: string };
  now: Date;
  /** the user and identity ids to create if the identity has no user yet */
  newUserId: string;
  newIdentityId: string;
  session: Omit<NewSession, "userId" | "now">;
  refreshToken: { id: string; tokenHash: string; expiresAt: Date };
  /** the `sign_in` audit row; its detail depends on whether the user is new */
  audit: Omit<NewAuditEvent, "userId" | "sessionId" | "detail"> & { detail: (isNewUser: boolean) => string };
};

/** One row per identity of an existing user (ordered as userView wants), or none for a new user. */
export type UserRow = { createdAt: Date; type: string | null; value: string | null; verifiedAt: Date | null };

export type SignedInRows = {
  userId: string;
  isNewUser: boolean;
  /** an existing user's identities; undefined when the statement could not see them (new user, or one created by a concurrent sign-in) */
  user: UserRow[] | undefined;
};

/**
 * Consumes a challenge (guarded: of concurrent callers exactly one wins) and,
 * only for the winner and atomically with it, finds or creates the identity's
 * user, opens a session with its first refresh token, and writes the audit row.
 * Undefined when the challenge was no longer open (someone else won it).
 */
export async function signInWithChallenge(s: SignIn): Promise<SignedInRows | undefined> {
  return config().postgres ? signInOnPostgres(s) : signInOnSqlite(s);
}

/**
 * Inside a transaction: the user of a verified identity, created (with the
 * identity) on its first verification. The SQLite path of signInWithChallenge,
 * and what tests use to make a signed-in user.
 */
export async function findOrCreateOwner(tx: Tx, identity: { type: string; value: string }, create: { userId: string; identityId: string }, now: Date): Promise<{ userId: string; isNewUser: boolean }> {
  const existing = await findIdentityByValue(tx, identity.value);
  if (existing) return { userId: existing.userId, isNewUser: false };
  await insertUser(tx, create.userId, now);
  const added = await insertIdentity(tx, { id: create.identityId, userId: create.userId, type: identity.type, value: identity.value, now }, { ifAbsent: true });
  if (added) return { userId: create.userId, isNewUser: true };
  // Another sign-in created this identity's user a moment ago: that user it is.
  await deleteUser(tx, create.userId);
  const winner = await findIdentityByValue(tx, identity.value);
  if (!winner) throw new Error("an identity that conflicted on insert is gone");
  return { userId: winner.userId, isNewUser: false };
}

async function signInOnSqlite(s: SignIn): Promise<SignedInRows | undefined> {
  return transaction(async (tx) => {
    if (!(await consumeChallenge(tx, s.challengeId, s.now, s.maxAttempts))) return undefined;
    const { userId, isNewUser } = await findOrCreateOwner(tx, s.identity, { userId: s.newUserId, identityId: s.newIdentityId }, s.now);
    await insertSession(tx, { ...s.session, userId, now: s.now });
    await insertRefreshToken(tx, { id: s.refreshToken.id, sessionId: s.session.id, tokenHash: s.refreshToken.tokenHash, now: s.now, expiresAt: s.refreshToken.expiresAt });
    await insertAuditEvent(tx, { ...s.audit, userId, sessionId: s.session.id, detail: s.audit.detail(isNewUser) });
    return { userId, isNewUser, user: isNewUser ? undefined : await userWithIdentities(tx, userId) };
  });
}

/**
 * One statement. Every sub-statement sees the snapshot taken when it began, and
 * only the winner of `consumed` gets rows into the others. The identity insert
 * runs only when no identity was visible; if a concurrent sign-in inserted it
 * meanwhile, ON CONFLICT DO UPDATE waits for it and answers its user (a DO
 * NOTHING would answer nothing), and then no user is created. The foreign keys
 * are checked at the end of the statement, when the new user row is there.
 */
async function signInOnPostgres(s: SignIn): Promise<SignedInRows | undefined> {
  const { now } = s;
  const rows = await kysely()
    .with("consumed", (db) =>
      db
        .updateTable("challenges")
        .set({ status: "consumed", consumed_at: now })
        .where("id", "=", s.challengeId)
        .where("status", "=", "active")
        .where("expires_at", ">", now)
        .where("attempts", "<", s.maxAttempts)
        .returning("id"),
    )
    .with("existing", (db) => db.selectFrom("identities").select("user_id").where("value", "=", s.identity.value))
    .with("added", (db) =>
      db
        .insertInto("identities")
        .columns(["id", "user_id", "type", "value", "verified_at", "created_at"])
        .expression((db) =>
          db
            .selectFrom("consumed")
            .select((eb) => [
              eb.val(s.newIdentityId).as("id"),
              eb.val(s.newUserId).as("user_id"),
              eb.val(s.identity.type).as("type"),
              eb.val(s.identity.value).as("value"),
              eb.cast<Date>(eb.val(now), "timestamp(3)").as("verified_at"),
              eb.cast<Date>(eb.val(now), "timestamp(3)").as("created_at"),
            ])
            .where((w) => w.not(w.exists(w.selectFrom("existing").select("existing.user_id")))),
        )
        .onConflict((oc) => oc.column("value").doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })))
        .returning("user_id"),
    )
    .with("new_user", (db) =>
      db
        .insertInto("users")
        .columns(["id", "created_at"])
        .expression((db) =>
          db
            .selectFrom("added")
            .select((eb) => [eb.ref("added.user_id").as("id"), eb.cast<Date>(eb.val(now), "timestamp(3)").as("created_at")])
            .where("added.user_id", "=", s.newUserId),
        )
        .returning("id"),
    )
    .with("owner", (db) =>
      db
        .selectFrom(["existing", "consumed"])
        .select((eb) => ["existing.user_id", eb.lit(false).$castTo<boolean>().as("is_new")])
        .unionAll(db.selectFrom("added").select((eb) => ["added.user_id", eb("added.user_id", "=", s.newUserId).$castTo<boolean>().as("is_new")])),
    )
    .with("session", (db) =>
      db
        .insertInto("sessions")
        .columns(["id", "user_id", "created_via", "client_id", "ip", "user_agent", "created_at", "last_seen_at", "expires_at"])
        .expression((db) =>
          db
            .selectFrom("owner")
            .select((eb) => [
              eb.val(s.session.id).as("id"),
              "owner.user_id",
              eb.val(s.session.via).as("created_via"),
              eb.cast<string | null>(eb.val(s.session.clientId), "text").as("client_id"),
              eb.cast<string | null>(eb.val(s.session.ip), "text").as("ip"),
              eb.cast<string | null>(eb.val(s.session.userAgent), "text").as("user_agent"),
              eb.cast<Date>(eb.val(now), "timestamp(3)").as("created_at"),
              eb.cast<Date>(eb.val(now), "timestamp(3)").as("last_seen_at"),
              eb.cast<Date>(eb.val(s.session.expiresAt), "timestamp(3)").as("expires_at"),
            ]),
        )
        .returning("id"),
    )
    .with("token", (db) =>
      db
        .insertInto("refresh_tokens")
        .columns(["id", "session_id", "token_hash", "created_at", "expires_at"])
        .expression((db) =>
          db
            .selectFrom("session")
            .select((eb) => [
              eb.val(s.refreshToken.id).as("id"),
              eb.ref("session.id").as("session_id"),
              eb.val(s.refreshToken.tokenHash).as("token_hash"),
              eb.cast<Date>(eb.val(now), "timestamp(3)").as("created_at"),
              eb.cast<Date>(eb.val(s.refreshToken.expiresAt), "timestamp(3)").as("expires_at"),
            ]),
        )
        .returning("id"),
    )
    .with("audit", (db) =>
      db
        .insertInto("audit_events")
        .columns(["id", "user_id", "type", "subject", "session_id", "ip", "user_agent", "detail", "created_at"])
        .expression((db) =>
          db
            .selectFrom("owner")
            .select((eb) => [
              eb.val(s.audit.id).as("id"),
              "owner.user_id",
              eb.val(s.audit.type).as("type"),
              eb.cast<string | null>(eb.val(s.audit.subject), "text").as("subject"),
              eb.val(s.session.id).as("session_id"),
              eb.cast<string | null>(eb.val(s.audit.ip), "text").as("ip"),
              eb.cast<string | null>(eb.val(s.audit.userAgent), "text").as("user_agent"),
              eb.case().when("owner.is_new", "=", true).then(eb.val(s.audit.detail(true))).else(eb.val(s.audit.detail(false))).end().as("detail"),
              eb.cast<Date>(eb.val(s.audit.at), "timestamp(3)").as("created_at"),
            ]),
        )
        .returning("id"),
    )
    .selectFrom("owner")
    .leftJoin("users as u", "u.id", "owner.user_id")
    .leftJoin("identities as i", "i.user_id", "owner.user_id")
    // new_user, token and audit are read by nothing: PostgreSQL runs every data-modifying CTE to completion all the same.
    .select(["owner.user_id as userId", "owner.is_new as isNew", "u.created_at as createdAt", "i.type", "i.value", "i.verified_at as verifiedAt"])
    .orderBy("i.created_at", "asc")
    .orderBy("i.id", "asc")
    .execute();
  if (!rows.length) return undefined;
  const { userId, isNew } = rows[0];
  const isNewUser = Boolean(isNew);
  // The user is visible here only if it existed when the statement began.
  const visible = !isNewUser && rows[0].createdAt !== null;
  return {
    userId,
    isNewUser,
    user: visible ? rows.map((r) => ({ createdAt: r.createdAt!, type: r.type, value: r.value, verifiedAt: r.verifiedAt })) : undefined,
  };
}
