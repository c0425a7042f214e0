import type { Config } from "@/lib/config";
import { outboxProvider } from "./outbox";
import { smtpProvider } from "./smtp";
import { twilioProvider } from "./twilio";
import { webhookProvider } from "./webhook";
import type { Channel, DeliveryProvider } from "./types";

export type Providers = Partial<Record<Channel, DeliveryProvider>>;

/** Which provider carries each channel; a channel left out has no delivery configured. */
export function providersFromConfig(c: Config): Providers {
  const branding = { appName: c.APP_NAME, publicHost: c.publicHost };
  if (c.DELIVERY === "outbox") {
    const outbox = outboxProvider({ ...branding, print: c.LOG_LEVEL !== "silent", keepCodes: c.demo });
    return { email: outbox, sms: outbox, voice: outbox };
  }
  const email = c.SMTP_URL ? smtpProvider({ url: c.SMTP_URL, from: c.EMAIL_FROM, appName: c.APP_NAME }) : undefined;
  const phone = phoneProvider(c, branding);
  return { email, sms: phone, voice: phone };
}

function phoneProvider(c: Config, branding: { appName: string; publicHost: string }): DeliveryProvider | undefined {
  // The config schema already refuses SMS_PROVIDER=twilio without these; the check narrows the types.
  if (c.SMS_PROVIDER === "twilio" && c.TWILIO_ACCOUNT_SID && c.TWILIO_AUTH_TOKEN && c.TWILIO_FROM) {
    return twilioProvider({
      ...branding,
      accountSid: c.TWILIO_ACCOUNT_SID,
      authToken: c.TWILIO_AUTH_TOKEN,
      from: c.TWILIO_FROM,
      apiBase: c.TWILIO_API_BASE,
    });
  }
  if (c.SMS_PROVIDER === "webhook" && c.SMS_WEBHOOK_URL) return webhookProvider({ ...branding, url: c.SMS_WEBHOOK_URL });
  return undefined;
}
