import { newId } from "./ids";
import type { Queryable } from "./kysely";

export type NewAuditEvent = {
  /** made here when not given */
  id?: string;
  type: string;
  userId: string | null;
  subject: string | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** JSON text */
  detail: string | null;
  at: Date;
};

export async function insertAuditEvent(q: Queryable, e: NewAuditEvent): Promise<void> {
  await q
    .insertInto("audit_events")
    .values({ id: e.id ?? newId(), user_id: e.userId, type: e.type, subject: e.subject, session_id: e.sessionId, ip: e.ip, user_agent: e.userAgent, detail: e.detail, created_at: e.at })
    .execute();
}

/**
 * A user's latest audit rows, newest first: their own, and those about their
 * identities (`subjects`) of the `identityTypes` recorded before anyone was signed in.
 */
export async function listUserEvents(q: Queryable, input: { userId: string; subjects: string[]; identityTypes: string[]; limit: number }) {
  return q
    .selectFrom("audit_events")
    .select(["id", "type", "subject", "detail", "ip", "user_agent as userAgent", "created_at as createdAt"])
    .where((eb) =>
      eb.or([
        eb("user_id", "=", input.userId),
        ...(input.subjects.length ? [eb.and([eb("user_id", "is", null), eb("type", "in", input.identityTypes), eb("subject", "in", input.subjects)])] : []),
      ]),
    )
    .orderBy("created_at", "desc")
    .limit(input.limit)
    .execute();
}
