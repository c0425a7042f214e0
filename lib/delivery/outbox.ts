import { insertOutboxMessage } from "@/lib/db/outbox-messages";
import { channelText, emailSubject } from "./messages";
import { DeliveryError, type Branding, type CodeMessage, type DeliveryProvider } from "./types";

export type OutboxOptions = Branding & { print: boolean; keepCodes: boolean };

/**
 * Demo delivery: the message is kept for /dev/outbox and, when `print` is on,
 * echoed to the console — the one place a code is ever written out, and only
 * with `keepCodes` (demo mode). Outside demo mode (UNSAFE_OUTBOX_IN_PRODUCTION)
 * it keeps the message with the code masked and prints nothing.
 */
export function outboxProvider({ print, keepCodes, ...branding }: OutboxOptions): DeliveryProvider {
  return {
    name: "outbox",
    async send({ channel, to, code, ttlSeconds }: CodeMessage) {
      const shown = keepCodes ? code : "X".repeat(code.length);
      const texts = { ...branding, code: shown, ttlSeconds };
      try {
        await insertOutboxMessage({
          channel,
          recipient: to,
          subject: channel === "email" ? emailSubject(texts) : null,
          body: channelText(channel, texts),
          code: keepCodes ? code : null,
          now: new Date(),
        });
      } catch (error) {
        throw new DeliveryError("outbox", "could not store the message", { cause: error });
      }
      // Not log(): structured logs are shipped and kept, and must never carry a code.
      if (print && keepCodes) process.stdout.write(`[outbox] ${channel} to ${to}: code ${code}\n`);
    },
  };
}
