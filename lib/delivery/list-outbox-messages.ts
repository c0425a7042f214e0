import { listOutboxMessages as latestOutboxMessages } from "@/lib/db/outbox-messages";

export type OutboxRow = { id: string; channel: string; recipient: string; subject: string | null; body: string; code: string | null; createdAt: Date };

/** The demo outbox, newest first (served only to loopback clients in demo mode; see app/dev/outbox). */
export async function listOutboxMessages({ limit = 50 }: { limit?: number } = {}): Promise<OutboxRow[]> {
  return latestOutboxMessages(limit);
}
