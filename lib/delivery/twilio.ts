import { post } from "./post";
import { smsText, voiceTwiml } from "./messages";
import { DeliveryError, type Branding, type CodeMessage, type DeliveryProvider } from "./types";

export type TwilioOptions = Branding & { accountSid: string; authToken: string; from: string; apiBase: string };

/** SMS through the Messages API, voice through the Calls API with inline TwiML. */
export function twilioProvider({ accountSid, authToken, from, apiBase, ...branding }: TwilioOptions): DeliveryProvider {
  // String joining, not new URL(path, base): a base with a path (a proxy) must keep it.
  const account = `${apiBase.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;

  return {
    name: "twilio",
    async send({ channel, to, code, ttlSeconds }: CodeMessage) {
      if (channel === "email") throw new DeliveryError("twilio", "email is not a Twilio channel");
      const texts = { ...branding, code, ttlSeconds };
      const fields: Record<string, string> = channel === "sms" ? { To: to, From: from, Body: smsText(texts) } : { To: to, From: from, Twiml: voiceTwiml(texts) };
      await post("twilio", `${account}/${channel === "sms" ? "Messages" : "Calls"}.json`, {
        headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams(fields).toString(),
      });
    },
  };
}
