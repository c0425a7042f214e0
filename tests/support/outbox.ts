import { kysely } from "@/lib/db/kysely";

/** The newest code the demo outbox holds for a recipient. */
export async function latestCode(recipient: string): Promise<string> {
  const message = await kysely().selectFrom("outbox_messages").select("code").where("recipient", "=", recipient).orderBy("created_at", "desc").executeTakeFirst();
  if (!message?.code) throw new Error(`no code in the outbox for ${recipient}`);
  return message.code;
}
