import { getSystemErrorName } from "node:util";
import nodemailer from "nodemailer";
import { emailHtml, emailSubject, emailText } from "./messages";
import { DELIVERY_TIMEOUT_MS, DeliveryError, type CodeMessage, type DeliveryProvider } from "./types";

export type SmtpOptions = { url: string; from: string; appName: string };

/** Email through one nodemailer transport, made here once and reused for every message. */
export function smtpProvider({ url, from, appName }: SmtpOptions): DeliveryProvider {
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: DELIVERY_TIMEOUT_MS,
    greetingTimeout: DELIVERY_TIMEOUT_MS,
    socketTimeout: DELIVERY_TIMEOUT_MS,
  });

  return {
    name: "smtp",
    async send({ channel, to, code, ttlSeconds }: CodeMessage) {
      if (channel !== "email") throw new DeliveryError("smtp", `${channel} is not an email channel`);
      const texts = { appName, code, ttlSeconds };
      try {
        await transport.sendMail({
          from,
          to,
          subject: emailSubject(texts),
          text: emailText(texts),
          html: emailHtml(texts),
          // RFC 3834: keeps vacation responders from answering a code email.
          headers: { "Auto-Submitted": "auto-generated" },
        });
      } catch (error) {
        throw new DeliveryError("smtp", smtpReason(error));
      }
    },
  };
}

// nodemailer's message repeats the server's reply, which can quote the recipient; its codes cannot.
function smtpReason(error: unknown): string {
  const { code, responseCode, errno } = (error ?? {}) as { code?: unknown; responseCode?: unknown; errno?: unknown };
  return [
    typeof code === "string" ? code : "send failed",
    typeof responseCode === "number" ? `SMTP ${responseCode}` : "",
    // a socket failure arrives as ESOCKET with the OS error (ECONNREFUSED…) only as a number
    typeof errno === "number" && errno < 0 ? getSystemErrorName(errno) : "",
  ]
    .filter(Boolean)
    .join(" ");
}
