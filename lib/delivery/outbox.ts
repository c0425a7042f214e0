import { newId, q, sql } from "@/lib/db/sql";
import { channelText, emailSubject } from "./messages";
import { DeliveryError, type Branding, type CodeMessage, type DeliveryProvider } from "./types";

export type OutboxOptions = Branding & { print: boolean };

/**
 * Demo delivery: the message is kept for /dev/outbox and, when `print` is on,
 * echoed to the console. The one place a code is ever written out.
 */
export function outboxProvider({ print, ...branding }: OutboxOptions): DeliveryProvider {
  return {
    name: "outbox",
    async send({ channel, to, code, ttlSeconds }: CodeMessage) {
      const texts = { ...branding, code, ttlSeconds };
      try {
        await q.run(sql`
          INSERT INTO outbox_messages (id, channel, recipient, subject, body, code, created_at)
          VALUES (${newId()}, ${channel}, ${to}, ${channel === "email" ? emailSubject(texts) : null}, ${channelText(channel, texts)}, ${code}, ${new Date()})`);
      } catch (error) {
        throw new DeliveryError("outbox", "could not store the message", { cause: error });
      }
      // Not log(): structured logs are shipped and kept, and must never carry a code.
      if (print) process.stdout.write(`[outbox] ${channel} to ${to}: code ${code}\n`);
    },
  };
}
