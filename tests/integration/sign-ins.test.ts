import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { insertChallenge, issueCode } from "@/lib/db/challenges";
import { newId } from "@/lib/db/ids";
import { kysely } from "@/lib/db/kysely";
import { countAndFindCode, signInWithChallenge, type SignIn } from "@/lib/db/sign-ins";
import { noDatabase } from "../support/skip";

// lib/db/sign-ins.ts: on PostgreSQL each step is one statement, on SQLite a transaction; both must keep the same guarantees.
describe.skipIf(noDatabase)("the sign-in statements", () => {
  afterAll(disconnectDb);

  const now = () => new Date(Math.floor(Date.now() / 1000) * 1000);

  async function challenge(value: string, at = now()): Promise<string> {
    const id = `ch_${randomBytes(12).toString("hex")}`;
    await insertChallenge(kysely(), {
      id,
      identityType: "email",
      identityValue: value,
      channel: "email",
      codeHash: "h",
      nonce: null,
      message: null,
      owner: null,
      requestedFrom: "10.0.0.0",
      now: at,
      expiresAt: new Date(at.getTime() + 300_000),
    });
    return id;
  }

  function signIn(challengeId: string, value: string, at = now(), sessionId = newId()): SignIn {
    return {
      challengeId,
      maxAttempts: 5,
      identity: { type: "email", value },
      now: at,
      newUserId: newId(),
      newIdentityId: newId(),
      session: { id: sessionId, via: "code", clientId: null, ip: "10.0.0.1", userAgent: "test", expiresAt: new Date(at.getTime() + 86_400_000) },
      refreshToken: { id: newId(), tokenHash: randomBytes(16).toString("hex"), expiresAt: new Date(at.getTime() + 86_400_000) },
      audit: { id: newId(), type: "sign_in", subject: value, ip: "10.0.0.1", userAgent: "test", at, detail: (isNew) => JSON.stringify({ via: "code", new_user: isNew }) },
    };
  }

  async function rows(value: string) {
    const identities = await kysely().selectFrom("identities").select(["user_id"]).where("value", "=", value).execute();
    const users = identities.length ? await kysely().selectFrom("users").select("id").where("id", "in", identities.map((i) => i.user_id)).execute() : [];
    const sessions = identities.length ? await kysely().selectFrom("sessions").select(["id", "user_id"]).where("user_id", "in", identities.map((i) => i.user_id)).execute() : [];
    const tokens = sessions.length ? await kysely().selectFrom("refresh_tokens").select("session_id").where("session_id", "in", sessions.map((s) => s.id)).execute() : [];
    const audits = await kysely().selectFrom("audit_events").select(["user_id", "detail"]).where("subject", "=", value).where("type", "=", "sign_in").execute();
    return { identities, users, sessions, tokens, audits };
  }

  it("the first sign-in creates the user and identity with session, refresh token and audit row; the next finds them", async () => {
    const value = `first-${randomBytes(6).toString("hex")}@example.com`;
    const first = await signInWithChallenge(signIn(await challenge(value), value));
    expect(first).toMatchObject({ isNewUser: true, user: undefined });
    const second = await signInWithChallenge(signIn(await challenge(value), value));
    expect(second).toMatchObject({ userId: first!.userId, isNewUser: false });
    expect(second!.user).toEqual([expect.objectContaining({ type: "email", value })]);
    expect(second!.user![0].createdAt).toBeInstanceOf(Date);
    const r = await rows(value);
    expect(r.identities).toEqual([{ user_id: first!.userId }]);
    expect(r.users).toHaveLength(1);
    expect(r.sessions).toHaveLength(2);
    expect(r.tokens).toHaveLength(2);
    expect(r.audits.map((a) => JSON.parse(a.detail!).new_user).sort()).toEqual([false, true]);
  });

  it("a challenge already used writes nothing", async () => {
    const value = `used-${randomBytes(6).toString("hex")}@example.com`;
    const id = await challenge(value);
    expect(await signInWithChallenge(signIn(id, value))).toBeDefined();
    expect(await signInWithChallenge(signIn(id, value))).toBeUndefined();
    const r = await rows(value);
    expect([r.users.length, r.sessions.length, r.tokens.length, r.audits.length]).toEqual([1, 1, 1, 1]);
  });

  it("concurrent first sign-ins of one new identity with different challenges make one user, and each its own session", async () => {
    const value = `race-${randomBytes(6).toString("hex")}@example.com`;
    const ids = await Promise.all(Array.from({ length: 6 }, () => challenge(value)));
    const results = await Promise.all(ids.map((id) => signInWithChallenge(signIn(id, value))));
    expect(results.every(Boolean)).toBe(true);
    expect(results.filter((r) => r!.isNewUser)).toHaveLength(1);
    expect(new Set(results.map((r) => r!.userId)).size).toBe(1);
    const r = await rows(value);
    expect(r.identities).toHaveLength(1);
    expect(r.sessions).toHaveLength(6);
    expect(r.tokens).toHaveLength(6);
    // No user left behind without its identity.
    const orphans = await kysely()
      .selectFrom("users")
      .select("id")
      .where("id", "in", results.map((x) => x!.userId).concat("none"))
      .where((eb) => eb.not(eb.exists(eb.selectFrom("identities").select("identities.id").whereRef("identities.user_id", "=", "users.id"))))
      .execute();
    expect(orphans).toEqual([]);
  });

  it("a sign-in that fails part-way leaves the code unused and creates nothing", async () => {
    const value = `atomic-${randomBytes(6).toString("hex")}@example.com`;
    const taken = `atomic-other-${randomBytes(6).toString("hex")}@example.com`;
    const sessionId = newId();
    await signInWithChallenge(signIn(await challenge(taken), taken, now(), sessionId));
    const id = await challenge(value);
    // The same session id again: the session insert fails after the code was consumed and the user made.
    await expect(signInWithChallenge(signIn(id, value, now(), sessionId))).rejects.toThrow();
    const r = await rows(value);
    expect([r.identities.length, r.audits.length]).toEqual([0, 0]);
    const left = await kysely().selectFrom("challenges").select("status").where("id", "=", id).executeTakeFirstOrThrow();
    expect(left.status).toBe("active");
    expect(await signInWithChallenge(signIn(id, value))).toMatchObject({ isNewUser: true });
  });

  it("a new code supersedes the previous unused one, and the lookup counts the limits and finds the newest", async () => {
    const value = `issue-${randomBytes(6).toString("hex")}@example.com`;
    const at = now();
    const code = (id: string, t: Date) => ({
      id,
      identityType: "email",
      identityValue: value,
      channel: "email",
      codeHash: "h",
      nonce: null,
      message: null,
      owner: null,
      requestedFrom: "10.0.0.0",
      now: t,
      expiresAt: new Date(t.getTime() + 300_000),
    });
    await issueCode(code(`ch_a_${value}`, at));
    await issueCode(code(`ch_b_${value}`, new Date(at.getTime() + 1000)));
    const statuses = await kysely().selectFrom("challenges").select(["id", "status"]).where("identity_value", "=", value).orderBy("created_at").execute();
    expect(statuses.map((s) => s.status)).toEqual(["superseded", "active"]);

    const key = `verify:test:${value}`;
    const lockKey = `failures:test:${value}`;
    const t = at.getTime();
    const first = await countAndFindCode({ counters: [{ key, resetAt: t + 60_000 }], lockKey, identityValue: value, owner: null, now: t });
    expect(first.counted).toEqual([{ key, count: 1, resetAt: t + 60_000 }]);
    expect(first.lock).toBeUndefined();
    expect(first.newest).toMatchObject({ id: `ch_b_${value}`, attempts: 0, codeHash: "h", nonce: null });
    expect(first.newest!.expiresAt).toEqual(new Date(at.getTime() + 301_000));
    await kysely().insertInto("rate_limit_buckets").values({ key: lockKey, count: 3, reset_at: t + 60_000 }).execute();
    const second = await countAndFindCode({ counters: [{ key, resetAt: t + 60_000 }], lockKey, identityValue: value, owner: null, now: t });
    expect(second.counted[0].count).toBe(2);
    expect(second.lock).toEqual({ key: lockKey, count: 3, resetAt: t + 60_000 });
    const none = await countAndFindCode({ counters: [{ key, resetAt: t + 60_000 }], lockKey, identityValue: `nobody-${value}`, owner: null, now: t });
    expect(none.newest).toBeUndefined();
  });
});
