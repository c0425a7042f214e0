import { parseWith, readJson } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { decideQrLogin } from "@/lib/qr/decide-qr-login";
import { resolveApprover } from "@/lib/qr/resolve-approver";
import { scanQrLogin } from "@/lib/qr/scan-qr-login";
import { qrAuthorizeBody, qrAuthorizeQuery } from "@/lib/qr/schemas";

export const GET = route(async ({ request, ip, userAgent }) => {
  const query = parseWith(qrAuthorizeQuery, Object.fromEntries(new URL(request.url).searchParams));
  const approver = await resolveApprover(request);
  return json(await scanQrLogin({ qrToken: query.qr_token, userId: approver.userId, sessionId: approver.sessionId, ip, userAgent }));
});

export const POST = route(async ({ request, ip, userAgent }) => {
  const body = parseWith(qrAuthorizeBody, await readJson(request));
  const approver = await resolveApprover(request);
  return json(await decideQrLogin({ qrToken: body.qr_token, decision: body.decision, userId: approver.userId, sessionId: approver.sessionId, ip, userAgent }));
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
