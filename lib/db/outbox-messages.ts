import { newId } from "./ids";
import { kysely, type Queryable } from "./kysely";

export async function insertOutboxMessage(
  m: { channel: string; recipient: string; subject: string | null; body: string; code: string | null; now: Date },
  on: Queryable = kysely(),
): Promise<void> {
  await on.insertInto("outbox_messages").values({ id: newId(), channel: m.channel, recipient: m.recipient, subject: m.subject, body: m.body, code: m.code, created_at: m.now }).execute();
}

/** The demo outbox, newest first. */
export async function listOutboxMessages(limit: number) {
  return kysely()
    .selectFrom("outbox_messages")
    .select(["id", "channel", "recipient", "subject", "body", "code", "created_at as createdAt"])
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}
