import { config } from "@/lib/config";
import { kysely, transaction, type Queryable } from "./kysely";

/** What sign-in reads of a challenge. */
export type Challenge = {
  id: string;
  identityValue: string;
  channel: string;
  codeHash: string | null;
  nonce: string | null;
  message: string | null;
  attempts: number;
  expiresAt: Date;
};

export type NewChallenge = {
  id: string;
  identityType: string;
  identityValue: string;
  channel: string;
  codeHash: string | null;
  nonce: string | null;
  message: string | null;
  /** the signed-in user adding this identity, else null */
  owner: string | null;
  requestedFrom: string;
  now: Date;
  expiresAt: Date;
};

function selectChallenges(owner: string | null) {
  return kysely()
    .selectFrom("challenges")
    .select(["id", "identity_value as identityValue", "channel", "code_hash as codeHash", "nonce", "message", "attempts", "expires_at as expiresAt"])
    .where("status", "=", "active")
    .where("user_id", owner === null ? "is" : "=", owner);
}

function challengeValues(c: NewChallenge) {
  return {
      id: c.id,
      identity_type: c.identityType,
      identity_value: c.identityValue,
      channel: c.channel,
      code_hash: c.codeHash,
      nonce: c.nonce,
      message: c.message,
      user_id: c.owner,
      status: "active",
      attempts: 0,
      created_at: c.now,
      expires_at: c.expiresAt,
      requested_from: c.requestedFrom,
  };
}

export async function insertChallenge(q: Queryable, c: NewChallenge): Promise<void> {
  await q.insertInto("challenges").values(challengeValues(c)).execute();
}

/**
 * A new code for an identity, replacing its previous unused one (same identity
 * and owner), as one change: on PostgreSQL one statement (both parts see the
 * snapshot taken when it began, so the new row is not superseded); SQLite allows
 * no UPDATE inside WITH, so there two statements in one transaction.
 */
export async function issueCode(c: NewChallenge): Promise<void> {
  if (!config().postgres) {
    await transaction(async (tx) => {
      await supersedeActive(tx, c.identityValue, c.owner);
      await insertChallenge(tx, c);
    });
    return;
  }
  await kysely()
    .with("superseded", (db) => supersede(db, c.identityValue, c.owner).returning("id"))
    .insertInto("challenges")
    .values(challengeValues(c))
    .execute();
}

/** A new code replaces the previous unused one of the same identity and owner. */
export async function supersedeActive(q: Queryable, identityValue: string, owner: string | null): Promise<void> {
  await supersede(q, identityValue, owner).execute();
}

function supersede(q: Pick<Queryable, "updateTable">, identityValue: string, owner: string | null) {
  return q.updateTable("challenges").set({ status: "superseded" }).where("identity_value", "=", identityValue).where("status", "=", "active").where("user_id", owner === null ? "is" : "=", owner);
}

/** A code that could not be delivered must not stay usable. */
export async function killChallenge(id: string): Promise<void> {
  await kysely().updateTable("challenges").set({ status: "dead" }).where("id", "=", id).where("status", "=", "active").execute();
}

/** active → consumed, guarded: true for the one caller that won it. */
export async function consumeChallenge(q: Queryable, id: string, now: Date, maxAttempts: number): Promise<boolean> {
  const result = await q
    .updateTable("challenges")
    .set({ status: "consumed", consumed_at: now })
    .where("id", "=", id)
    .where("status", "=", "active")
    .where("expires_at", ">", now)
    .where("attempts", "<", maxAttempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Counts a wrong try; the attempts now used, or undefined when the challenge was no longer open to tries. */
export async function countWrongTry(id: string, maxAttempts: number): Promise<number | undefined> {
  const row = await kysely()
    .updateTable("challenges")
    .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
    .where("id", "=", id)
    .where("status", "=", "active")
    .where("attempts", "<", maxAttempts)
    .returning("attempts")
    .executeTakeFirst();
  return row?.attempts;
}

/** The newest active challenge of an identity (email and phone have one at a time). */
export async function newestActive(identityValue: string, owner: string | null): Promise<Challenge | undefined> {
  return selectChallenges(owner).where("identity_value", "=", identityValue).orderBy("created_at", "desc").limit(1).executeTakeFirst();
}

/** An active challenge by its id, for this identity and owner. */
export async function activeById(id: string, identityValue: string, owner: string | null): Promise<Challenge | undefined> {
  return selectChallenges(owner).where("id", "=", id).where("identity_value", "=", identityValue).executeTakeFirst();
}

/** A wallet's open messages, those asked for from `requestedFrom` first, newest first. */
export async function openMessages(input: { address: string; owner: string | null; now: Date; maxAttempts: number; requestedFrom: string; limit: number }): Promise<Challenge[]> {
  return selectChallenges(input.owner)
    .where("identity_value", "=", input.address)
    .where("expires_at", ">", input.now)
    .where("attempts", "<", input.maxAttempts)
    .orderBy((eb) => eb.case().when("requested_from", "=", input.requestedFrom).then(0).else(1).end())
    .orderBy("created_at", "desc")
    .limit(input.limit)
    .execute();
}
