import { config } from "@/lib/config";
import { insertQrLogin } from "@/lib/db/qr-logins";
import { enforce } from "@/lib/ratelimit/limits";
import { hashToken, randomToken } from "@/lib/tokens/hash";
import { describeRequester } from "./describe-requester";
import { POLL_INTERVAL } from "./qr-login";

export type QrStarted = { qr_token: string; qr_url: string; poll_token: string; expires_in: number; interval: number };

/**
 * A new QR login for the screen that asks (SPEC §3.4). The QR carries only
 * `qr_token`; `poll_token` is a separate secret for the asking screen. Only
 * hashes of both are stored, with what the approving phone will be shown.
 */
export async function startQrLogin(input: { ip: string; userAgent?: string; clientId?: string; now?: Date }): Promise<QrStarted> {
  const cfg = config();
  const now = input.now ?? new Date();
  await enforce("qrPerIp", input.ip, now.getTime());
  const qrToken = randomToken("wrf", 16);
  const pollToken = randomToken("wqp_", 16);
  const requester = describeRequester(input);
  await insertQrLogin({
      qrTokenHash: hashToken(qrToken),
      pollTokenHash: hashToken(pollToken),
      status: "pending",
      clientId: input.clientId ?? null,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      browser: requester.browser,
      os: requester.os,
      location: requester.location,
      createdAt: now,
      expiresAt: new Date(now.getTime() + cfg.QR_TTL_SECONDS * 1000),
  });
  return {
    qr_token: qrToken,
    qr_url: `${cfg.publicOrigin}/qr/${qrToken}`,
    poll_token: pollToken,
    expires_in: cfg.QR_TTL_SECONDS,
    interval: POLL_INTERVAL,
  };
}
