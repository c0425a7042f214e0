import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { disconnectDb } from "@/lib/db/client";
import { withRequestContext } from "@/lib/log";
import { call, randomIp, uniqueEmail } from "../support/api";
import { noDatabase } from "../support/skip";

type TwilioCall = { path: string; authorization: string; form: URLSearchParams };

const mail: ParsedMail[] = [];
const twilio: TwilioCall[] = [];
let twilioFails = false;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        mail.push(parsed);
        callback();
      })
      .catch(callback);
  },
});

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// A local stand-in for api.twilio.com: records each call and answers like Twilio.
const twilioServer: Server = createServer(async (request, response) => {
  const form = new URLSearchParams(await readBody(request));
  twilio.push({ path: request.url ?? "", authorization: request.headers.authorization ?? "", form });
  response.writeHead(twilioFails ? 500 : 201, { "content-type": "application/json" });
  response.end(JSON.stringify(twilioFails ? { code: 20500, message: "internal" } : { sid: "SM123", status: "queued" }));
});

function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`no code in: ${text}`);
  return match[1];
}

describe.skipIf(noDatabase)("codes delivered by real providers", () => {
  beforeAll(async () => {
    smtp.listen(0, "127.0.0.1");
    await once(smtp.server, "listening");
    twilioServer.listen(0, "127.0.0.1");
    await once(twilioServer, "listening");
    // Read once by lib/config on first use, which is after this point.
    process.env.DELIVERY = "providers";
    process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    process.env.EMAIL_FROM = "Werify <login@werify.test>";
    process.env.SMS_PROVIDER = "twilio";
    process.env.TWILIO_ACCOUNT_SID = "AC0123456789";
    process.env.TWILIO_AUTH_TOKEN = "twilio-secret";
    process.env.TWILIO_FROM = "+15005550006";
    process.env.TWILIO_API_BASE = `http://127.0.0.1:${(twilioServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => smtp.close(() => resolve(undefined)));
    twilioServer.close();
    await disconnectDb();
  });

  it("an email code arrives at the SMTP server and signs the user in", async () => {
    const email = uniqueEmail("smtp");
    const ip = randomIp();
    const started = await call(sign, { body: { id: email }, ip });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ id_type: "email", channel: "email", code_length: 6 });
    const message = mail.find((m) => m.to && JSON.stringify(m.to).includes(email));
    expect(message, "the email reached the SMTP server").toBeTruthy();
    expect(message!.from?.text).toContain("login@werify.test");
    const code = codeIn(message!.text ?? "");
    expect(message!.html).toContain(code);
    const signedIn = await call(verify, { body: { id: email, code }, ip });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ is_new_user: true, token_type: "Bearer" });
  });

  it("an SMS reaches Twilio with Basic auth and its code signs the user in", async () => {
    const number = "+447888872720";
    const ip = randomIp();
    const started = await call(sign, { body: { id: "07888 872720" }, ip });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ id_type: "mobile_number", channel: "sms" });
    const sent = twilio.at(-1)!;
    expect(sent.path).toBe("/2010-04-01/Accounts/AC0123456789/Messages.json");
    expect(sent.authorization).toBe(`Basic ${Buffer.from("AC0123456789:twilio-secret").toString("base64")}`);
    expect(sent.form.get("To")).toBe(number);
    expect(sent.form.get("From")).toBe("+15005550006");
    const body = sent.form.get("Body") ?? "";
    const code = codeIn(body);
    expect(body.trim().split("\n").at(-1)).toBe(`@localhost:3000 #${code}`);
    const signedIn = await call(verify, { body: { id: number, code }, ip });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ user: { identities: [{ type: "mobile_number", value: number }] } });
  });

  it("a landline gets a voice call that reads the code, and the code signs in", async () => {
    const number = "+442071234567";
    const ip = randomIp();
    const started = await call(sign, { body: { id: number }, ip });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ id_type: "phone_number", channel: "voice" });
    const sent = twilio.at(-1)!;
    expect(sent.path).toBe("/2010-04-01/Accounts/AC0123456789/Calls.json");
    const twiml = sent.form.get("Twiml") ?? "";
    expect(twiml.match(/<Say/g)?.length).toBeGreaterThanOrEqual(2);
    const digits = /((?:\d, ){5}\d)/.exec(twiml)?.[1];
    expect(digits).toBeTruthy();
    const code = digits!.replace(/, /g, "");
    const signedIn = await call(verify, { body: { id: number, code }, ip });
    expect(signedIn.status).toBe(200);
  });

  it("a mobile number can ask for a voice call instead of an SMS", async () => {
    const started = await call(sign, { body: { id: "+447888872721", channel: "voice" } });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ channel: "voice" });
    expect(twilio.at(-1)!.path).toMatch(/Calls\.json$/);
  });

  it("when Twilio refuses, the caller gets 503 delivery_failed and the code does not work", async () => {
    const number = "+447888872722";
    twilioFails = true;
    try {
      const started = await call(sign, { body: { id: number } });
      expect(started.status).toBe(503);
      expect(started.body.error).toBe("delivery_failed");
    } finally {
      twilioFails = false;
    }
    const code = codeIn(twilio.at(-1)!.form.get("Body") ?? "");
    const attempt = await call(verify, { body: { id: number, code } });
    expect(attempt.status).toBe(400);
    expect(attempt.body.error).toBe("invalid_code");
  });

  it("when Twilio refuses, the operator's log says why under the request's id, and the caller is not told", async () => {
    const written: string[] = [];
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "warn";
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    twilioFails = true;
    let started: Awaited<ReturnType<typeof call>> | undefined;
    try {
      // server.mts opens this context for every request it serves
      started = await withRequestContext({ requestId: "req-twilio-refused" }, () => call(sign, { body: { id: "+447888872724" } }));
    } finally {
      twilioFails = false;
      vi.restoreAllMocks();
      process.env.LOG_LEVEL = level;
    }
    expect(started.status).toBe(503);
    expect(started.body).toEqual({ error: "delivery_failed", error_description: "The SMS could not be delivered. Try again later or use another identity." });
    const lines = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: "error", msg: "request failed", request_id: "req-twilio-refused", error: "delivery_failed", cause: "DeliveryError: twilio: HTTP 500 (provider error 20500)" }),
    ]);
  });

  it("SMS to a country outside SMS_ALLOWED_COUNTRIES is refused with region_not_allowed", async () => {
    const before = twilio.length;
    const reply = await call(sign, { body: { id: "+8613800138000" } });
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe("region_not_allowed");
    expect(twilio.length).toBe(before);
  });
});
