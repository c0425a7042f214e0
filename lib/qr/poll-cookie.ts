import { config } from "@/lib/config";
import { hashToken } from "@/lib/tokens/hash";
import type { HotRequest } from "@/lib/http/hot-request";

const PATH = "/v1/oauth/qr";

// One cookie per QR code, so two sign-in tabs of one browser do not overwrite each other's poll token.
function cookieName(qrToken: string): string {
  return `wrf_qr_${hashToken(`poll-cookie:${qrToken}`).slice(0, 12)}`;
}

function attributes(maxAge: number): string {
  const secure = config().publicOrigin.startsWith("https:") ? "; Secure" : "";
  return `Path=${PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
}

/** The poll token as an HttpOnly, SameSite=Strict cookie that only the poll endpoint ever receives. */
export function pollCookie(qrToken: string, pollToken: string): string {
  const { QR_TTL_SECONDS, QR_DECIDE_SECONDS } = config();
  return `${cookieName(qrToken)}=${pollToken}; ${attributes(QR_TTL_SECONDS + QR_DECIDE_SECONDS + 60)}`;
}

export function clearedPollCookie(qrToken: string): string {
  return `${cookieName(qrToken)}=; ${attributes(0)}`;
}

export function readPollCookie(request: HotRequest, qrToken: string): string | undefined {
  const name = cookieName(qrToken);
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}
