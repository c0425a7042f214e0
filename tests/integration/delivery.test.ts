import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseConfig } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { kysely } from "@/lib/db/kysely";
import { emailHtml } from "@/lib/delivery/messages";
import { providersFromConfig } from "@/lib/delivery/providers";
import { sendCode } from "@/lib/delivery/send-code";
import { smtpProvider } from "@/lib/delivery/smtp";
import { twilioProvider } from "@/lib/delivery/twilio";
import { DeliveryError, type CodeMessage } from "@/lib/delivery/types";
import { webhookProvider } from "@/lib/delivery/webhook";
import { noDatabase } from "../support/skip";

const branding = { appName: "Werify", publicHost: "localhost:3000" };
const code = "482913";

function port(server: { address(): string | AddressInfo | null }): number {
  return (server.address() as AddressInfo).port;
}

/** A port that nothing listens on, so connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const free = port(server);
  await new Promise((resolve) => server.close(resolve));
  return free;
}

async function expectRefusal(send: Promise<void>, provider: string): Promise<DeliveryError> {
  const error = await send.then(
    () => expect.unreachable("the provider accepted the message"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const failure = error as DeliveryError;
  expect(failure.provider).toBe(provider);
  expect(failure.reason).not.toContain(code);
  return failure;
}

describe("email", () => {
  const inbox: ParsedMail[] = [];
  const waiting: Array<(mail: ParsedMail) => void> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "portal" && auth.password === "mail-pass") callback(null, { user: auth.username });
      else callback(new Error("bad credentials"));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("bounce")) callback(Object.assign(new Error("no such mailbox"), { responseCode: 550 }));
      else callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        const next = waiting.shift();
        if (next) next(mail);
        else inbox.push(mail);
        callback();
      }, callback);
    },
  });
  const nextMail = () => new Promise<ParsedMail>((resolve) => (inbox.length ? resolve(inbox.shift()!) : waiting.push(resolve)));
  let url = "";

  beforeAll(async () => {
    const server = smtp.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `smtp://portal:mail-pass@127.0.0.1:${port(server)}`;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(resolve)));

  it("an email code arrives at a real SMTP server with the code, its lifetime and the didn't-ask line", async () => {
    const provider = smtpProvider({ url, from: "Werify <no-reply@werify.test>", appName: "Werify" });
    await provider.send({ channel: "email", to: "ada@example.com", code, ttlSeconds: 300 });
    const mail = await nextMail();

    expect(mail.from?.value).toEqual([{ name: "Werify", address: "no-reply@werify.test" }]);
    expect(mail.subject).toBe("Your Werify sign-in code");
    expect(mail.subject).not.toContain(code);
    const ignoreLine = "Didn't ask for this? You can ignore this email — nobody can sign in without the code.";
    const html = String(mail.html);
    expect(mail.text).toContain(code);
    expect(mail.text).toContain("It expires in 5 minutes.");
    expect(mail.text).toContain(ignoreLine);
    expect(html).toMatch(new RegExp(`font-size:36px[^>]*>${code}</p>`));
    expect(html).toContain("It expires in 5 minutes.");
    expect(html).toContain(ignoreLine.replace("'", "&#39;"));
  });

  it("one SMTP provider sends message after message over its one transport", async () => {
    const provider = smtpProvider({ url, from: "Werify <no-reply@werify.test>", appName: "Werify" });
    await provider.send({ channel: "email", to: "first@example.com", code: "111111", ttlSeconds: 60 });
    await provider.send({ channel: "email", to: "second@example.com", code: "222222", ttlSeconds: 600 });
    const [first, second] = [await nextMail(), await nextMail()];
    expect(first.text).toContain("1 minute.");
    expect(second.text).toContain("222222");
    expect(second.text).toContain("10 minutes");
  });

  it("an app name with markup shows as text in the HTML email", () => {
    const html = emailHtml({ appName: `<b>Ada & "Co"</b>`, code, ttlSeconds: 300 });
    expect(html).toContain("&lt;b&gt;Ada &amp; &quot;Co&quot;&lt;/b&gt;");
    expect(html).not.toContain("<b>Ada");
  });

  it("a mailbox the SMTP server refuses raises DeliveryError with the SMTP status, not the code", async () => {
    const provider = smtpProvider({ url, from: "Werify <no-reply@werify.test>", appName: "Werify" });
    const failure = await expectRefusal(provider.send({ channel: "email", to: "bounce@example.com", code, ttlSeconds: 300 }), "smtp");
    expect(failure.reason).toContain("550");
    expect(failure.reason).not.toContain("bounce@example.com");
  });

  it("wrong SMTP credentials raise DeliveryError without the password", async () => {
    const provider = smtpProvider({ url: url.replace("mail-pass", "wrong-pass"), from: "no-reply@werify.test", appName: "Werify" });
    const failure = await expectRefusal(provider.send({ channel: "email", to: "ada@example.com", code, ttlSeconds: 300 }), "smtp");
    expect(failure.reason).toContain("EAUTH");
    expect(failure.reason).not.toContain("pass");
  });

  it("an SMTP server that cannot be reached raises DeliveryError naming the network error", async () => {
    const provider = smtpProvider({ url: `smtp://127.0.0.1:${await closedPort()}`, from: "no-reply@werify.test", appName: "Werify" });
    const failure = await expectRefusal(provider.send({ channel: "email", to: "ada@example.com", code, ttlSeconds: 300 }), "smtp");
    expect(failure.reason).toBe("ESOCKET ECONNREFUSED");
  });
});

type Received = { method: string; path: string; headers: IncomingMessage["headers"]; body: string };

describe("sms and voice over HTTP", () => {
  const requests: Received[] = [];
  let reply = { status: 201, body: "{}" };
  const http: Server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
    res.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
  });
  let base = "";
  const lastRequest = () => requests[requests.length - 1];
  const twilio = () => twilioProvider({ ...branding, accountSid: "AC123", authToken: "secret", from: "+15005550006", apiBase: base });
  const sms: CodeMessage = { channel: "sms", to: "+447700900123", code, ttlSeconds: 300 };

  beforeAll(async () => {
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    base = `http://127.0.0.1:${port(http)}`;
  });
  afterAll(() => new Promise<void>((resolve, reject) => http.close((e) => (e ? reject(e) : resolve()))));

  it("an SMS reaches Twilio's Messages API with Basic auth and the WebOTP line", async () => {
    reply = { status: 201, body: JSON.stringify({ sid: "SM0123", status: "queued" }) };
    await twilio().send(sms);

    const request = lastRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/2010-04-01/Accounts/AC123/Messages.json");
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("AC123:secret").toString("base64")}`);
    const form = new URLSearchParams(request.body);
    expect(form.get("To")).toBe("+447700900123");
    expect(form.get("From")).toBe("+15005550006");
    const text = form.get("Body") ?? "";
    expect(text).toBe(`${code} is your Werify sign-in code. It expires in 5 minutes.\n\n@localhost:3000 #${code}`);
    expect(text.split("\n").at(-1)).toBe(`@localhost:3000 #${code}`);
  });

  it("a voice call reads the digits twice through the Calls API", async () => {
    reply = { status: 201, body: JSON.stringify({ sid: "CA0123", status: "queued" }) };
    await twilio().send({ ...sms, channel: "voice" });

    const request = lastRequest();
    expect(request.path).toBe("/2010-04-01/Accounts/AC123/Calls.json");
    const form = new URLSearchParams(request.body);
    expect(form.get("To")).toBe("+447700900123");
    expect(form.get("Body")).toBeNull();
    const twiml = form.get("Twiml") ?? "";
    expect(twiml).toMatch(/^<Response>.*<\/Response>$/);
    expect(twiml.match(/<Say>4, 8, 2, 9, 1, 3\.<\/Say>/g)).toHaveLength(2);
    expect(twiml).toContain("<Pause");
  });

  it("an app name with markup cannot break the TwiML", async () => {
    reply = { status: 201, body: "{}" };
    const provider = twilioProvider({ ...branding, appName: "A&B <Say>", accountSid: "AC123", authToken: "secret", from: "+15005550006", apiBase: base });
    await provider.send({ ...sms, channel: "voice" });
    const twiml = new URLSearchParams(lastRequest().body).get("Twiml") ?? "";
    expect(twiml).toContain("A&amp;B &lt;Say&gt;");
  });

  it("the webhook provider posts {to, channel, body} as JSON", async () => {
    reply = { status: 204, body: "" };
    const webhook = webhookProvider({ ...branding, url: `${base}/hooks/sms` });
    await webhook.send(sms);

    const request = lastRequest();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/hooks/sms");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({
      to: "+447700900123",
      channel: "sms",
      body: `${code} is your Werify sign-in code. It expires in 5 minutes.\n\n@localhost:3000 #${code}`,
    });

    await webhook.send({ ...sms, channel: "voice" });
    const voice = JSON.parse(lastRequest().body) as { channel: string; body: string };
    expect(voice.channel).toBe("voice");
    expect(voice.body.split("4, 8, 2, 9, 1, 3")).toHaveLength(3);
  });

  it("a provider that refuses raises DeliveryError without the code in its reason", async () => {
    reply = { status: 400, body: JSON.stringify({ code: 21211, message: `The 'To' number +447700900123 is not valid. ${code}` }) };
    const invalid = await expectRefusal(twilio().send(sms), "twilio");
    expect(invalid.reason).toBe("HTTP 400 (provider error 21211)");

    reply = { status: 500, body: `internal error while sending ${code}` };
    const down = await expectRefusal(webhookProvider({ ...branding, url: `${base}/hooks/sms` }).send(sms), "webhook");
    expect(down.reason).toBe("HTTP 500");
  });

  it("a provider that cannot be reached raises DeliveryError naming the network error", async () => {
    const failure = await expectRefusal(webhookProvider({ ...branding, url: `http://127.0.0.1:${await closedPort()}/sms` }).send(sms), "webhook");
    expect(failure.reason).toBe("network error ECONNREFUSED");
  });

  it("an email sent to a phone provider is refused, not sent", async () => {
    const before = requests.length;
    await expectRefusal(twilio().send({ ...sms, channel: "email", to: "ada@example.com" }), "twilio");
    expect(requests).toHaveLength(before);
  });
});

describe("choosing a provider from the configuration", () => {
  const configWith = (env: Record<string, string>) =>
    parseConfig({ NODE_ENV: "test", APP_SECRET: "x".repeat(32), PUBLIC_URL: "https://login.example.com", ...env });

  it("email goes through SMTP and sms/voice through Twilio when both are configured", () => {
    const providers = providersFromConfig(
      configWith({
        SMTP_URL: "smtp://127.0.0.1:2525",
        SMS_PROVIDER: "twilio",
        TWILIO_ACCOUNT_SID: "AC123",
        TWILIO_AUTH_TOKEN: "secret",
        TWILIO_FROM: "+15005550006",
      }),
    );
    expect([providers.email?.name, providers.sms?.name, providers.voice?.name]).toEqual(["smtp", "twilio", "twilio"]);
  });

  it("a channel with nothing configured has no provider", () => {
    const providers = providersFromConfig(configWith({ SMS_PROVIDER: "webhook", SMS_WEBHOOK_URL: "https://hooks.example.com/sms" }));
    expect(providers.email).toBeUndefined();
    expect(providers.sms?.name).toBe("webhook");
  });

  it("the demo outbox takes every channel", () => {
    const providers = providersFromConfig(configWith({ PORTAL_MODE: "demo", DELIVERY: "outbox", SMTP_URL: "smtp://127.0.0.1:2525" }));
    expect([providers.email?.name, providers.sms?.name, providers.voice?.name]).toEqual(["outbox", "outbox", "outbox"]);
  });
});

describe.skipIf(noDatabase)("the demo outbox", () => {
  afterAll(disconnectDb);

  it("a demo code is kept in the outbox", async () => {
    const to = `+4477009${Date.now().toString().slice(-5)}`;
    await sendCode({ channel: "sms", to, code, ttlSeconds: 300 });

    const row = await kysely().selectFrom("outbox_messages").selectAll().where("recipient", "=", to).executeTakeFirst();
    expect(row).toMatchObject({ channel: "sms", code, subject: null });
    expect(row?.body).toContain(`@localhost:3000 #${code}`);
  });

  it("a demo email keeps its subject and text in the outbox", async () => {
    const to = `outbox-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    await sendCode({ channel: "email", to, code, ttlSeconds: 300 });

    const row = await kysely().selectFrom("outbox_messages").selectAll().where("recipient", "=", to).executeTakeFirst();
    expect(row).toMatchObject({ channel: "email", code, subject: "Your Werify sign-in code" });
    expect(row?.body).toContain("It expires in 5 minutes.");
  });

  it("outside demo mode the outbox keeps the message but never the code, and prints nothing", async () => {
    const production = parseConfig({ PORTAL_MODE: "production", APP_SECRET: "x".repeat(32), PUBLIC_URL: "https://login.example.com", DELIVERY: "outbox", UNSAFE_OUTBOX_IN_PRODUCTION: "yes-codes-are-discarded", LOG_LEVEL: "debug" });
    const outbox = providersFromConfig(production);
    const printed: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (printed.push(String(chunk)), true));
    const sent: { channel: "email" | "sms" | "voice"; to: string }[] = [
      { channel: "email", to: `withheld-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com` },
      { channel: "sms", to: `+4477008${Date.now().toString().slice(-5)}` },
      { channel: "voice", to: `+4477007${Date.now().toString().slice(-5)}` },
    ];
    try {
      for (const { channel, to } of sent) await outbox[channel]!.send({ channel, to, code, ttlSeconds: 300 });
    } finally {
      stdout.mockRestore();
    }
    expect(printed.join("")).not.toContain(code);
    for (const { channel, to } of sent) {
      const row = await kysely().selectFrom("outbox_messages").selectAll().where("recipient", "=", to).executeTakeFirst();
      expect(row).toMatchObject({ channel, code: null });
      // not even spelled out, as a voice message reads it ("4, 8, 2, …")
      expect(JSON.stringify(row)).not.toMatch(new RegExp(code.split("").join("\\D{0,2}")));
    }
  });
});
