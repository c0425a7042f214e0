import { post } from "./post";
import { channelText } from "./messages";
import { DeliveryError, type Branding, type CodeMessage, type DeliveryProvider } from "./types";

export type WebhookOptions = Branding & { url: string };

/** Hands sms and voice messages to the operator's own gateway as JSON `{to, channel, body}`. */
export function webhookProvider({ url, ...branding }: WebhookOptions): DeliveryProvider {
  return {
    name: "webhook",
    async send({ channel, to, code, ttlSeconds }: CodeMessage) {
      if (channel === "email") throw new DeliveryError("webhook", "email is not a webhook channel");
      const body = channelText(channel, { ...branding, code, ttlSeconds });
      await post("webhook", url, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to, channel, body }),
      });
    },
  };
}
