import { db } from "@/lib/db/client";

/** The newest code the demo outbox holds for a recipient. */
export async function latestCode(recipient: string): Promise<string> {
  const message = await db().outboxMessage.findFirst({ where: { recipient }, orderBy: { createdAt: "desc" } });
  if (!message?.code) throw new Error(`no code in the outbox for ${recipient}`);
  return message.code;
}
