import type { Branding, Channel } from "./types";

type Texts = { appName: string; code: string; ttlSeconds: number };

// Rounded down: telling someone they have less time than they do is harmless.
function lifetime(ttlSeconds: number): string {
  const minutes = Math.floor(ttlSeconds / 60);
  if (minutes < 1) return `${ttlSeconds} ${ttlSeconds === 1 ? "second" : "seconds"}`;
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML and XML alike (element content and quoted attributes). */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

// Commas make text-to-speech read "1, 2, 3" as separate digits, not "one hundred twenty-three".
function spokenDigits(code: string): string {
  return code.split("").join(", ");
}

/** The last line is the WebOTP origin-bound format, so browsers can offer to fill the code in. */
export function smsText({ appName, publicHost, code, ttlSeconds }: Texts & Branding): string {
  return `${code} is your ${appName} sign-in code. It expires in ${lifetime(ttlSeconds)}.\n\n@${publicHost} #${code}`;
}

export function voiceText({ appName, code }: Texts): string {
  const digits = spokenDigits(code);
  return `Your ${appName} sign-in code is: ${digits}. Again, your code is: ${digits}.`;
}

export function voiceTwiml({ appName, code }: Texts): string {
  const say = (text: string) => `<Say>${escapeMarkup(text)}</Say>`;
  const digits = `${spokenDigits(code)}.`;
  return [
    "<Response>",
    say(`Your ${appName} sign-in code is:`),
    '<Pause length="1"/>',
    say(digits),
    '<Pause length="1"/>',
    say("Again, your code is:"),
    '<Pause length="1"/>',
    say(digits),
    "</Response>",
  ].join("");
}

// The code stays out of the subject: subjects are written to mail-server logs and
// shown in mailbox listings and lock-screen banners, where bodies are not.
export function emailSubject({ appName }: { appName: string }): string {
  return `Your ${appName} sign-in code`;
}

const ignoreLine = "Didn't ask for this? You can ignore this email — nobody can sign in without the code.";

export function emailText({ appName, code, ttlSeconds }: Texts): string {
  return [`Your ${appName} sign-in code is:`, "", `    ${code}`, "", `It expires in ${lifetime(ttlSeconds)}.`, "", ignoreLine, ""].join("\n");
}

export function emailHtml({ appName, code, ttlSeconds }: Texts): string {
  const name = escapeMarkup(appName);
  return `<!doctype html>
<html lang="en">
<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#111;background:#fff">
<p style="margin:0 0 16px;font-size:16px">Your ${name} sign-in code is:</p>
<p style="margin:0 0 16px;font-size:36px;font-weight:700;letter-spacing:6px;font-family:ui-monospace,Menlo,Consolas,monospace">${escapeMarkup(code)}</p>
<p style="margin:0 0 24px;font-size:16px">It expires in ${escapeMarkup(lifetime(ttlSeconds))}.</p>
<p style="margin:0;font-size:14px;color:#555">${escapeMarkup(ignoreLine)}</p>
</body>
</html>
`;
}

/** The plain text a person receives on a channel, for providers that only carry text. */
export function channelText(channel: Channel, texts: Texts & Branding): string {
  if (channel === "sms") return smsText(texts);
  if (channel === "voice") return voiceText(texts);
  return emailText(texts);
}
