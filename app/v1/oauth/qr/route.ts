import { parseWith, readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { pollQrLogin } from "@/lib/qr/poll-qr-login";
import { clearedPollCookie, pollCookie, readPollCookie } from "@/lib/qr/poll-cookie";
import { qrPollBody } from "@/lib/qr/schemas";
import { startQrLogin } from "@/lib/qr/start-qr-login";

export const GET = route(async ({ ip, userAgent }) => {
  const started = await startQrLogin({ ip, userAgent });
  return json(started, 200, { "set-cookie": pollCookie(started.qr_token, started.poll_token) });
});

export const POST = route(async ({ request, ip, userAgent }) => {
  const body = parseWith(qrPollBody, await readJson(request));
  const pollToken = body.poll_token ?? readPollCookie(request, body.qr_token);
  const answer = await pollQrLogin({ qrToken: body.qr_token, pollToken, wait: body.wait, ip, userAgent, signal: request.signal });
  return json(answer, 200, answer.status === "approved" ? { "set-cookie": clearedPollCookie(body.qr_token) } : {});
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
