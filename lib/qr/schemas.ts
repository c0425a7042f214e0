import { z } from "zod";

// One schema per request body (SPEC §3.4), shared with the QR screen and /v1/openapi.json.
const qrToken = z.string().min(1).max(128).meta({ description: "The token inside the QR code (`wrf…`).", example: "wrfq0Yb9dM1dW2p5cQJQeJm7xA" });

export const qrPollBody = z
  .object({
    qr_token: qrToken,
    poll_token: z.string().min(1).max(128).optional().meta({ description: "The poll token from `GET /v1/oauth/qr`; browsers may leave it out and send the HttpOnly cookie instead." }),
    wait: z
      .number()
      .int()
      .min(0)
      .max(25)
      .optional()
      .meta({ description: "Long poll: hold the request up to this many seconds and answer as soon as the status changes. Omit for a short poll." }),
  })
  .meta({ id: "QrPollRequest" });

export const qrAuthorizeQuery = z.object({ qr_token: qrToken }).meta({ id: "QrAuthorizeQuery" });

export const qrAuthorizeBody = z
  .object({
    qr_token: qrToken,
    decision: z.enum(["approve", "deny"]).default("approve").meta({ description: "Approve (default) or deny the sign-in on the other screen." }),
  })
  .meta({ id: "QrAuthorizeRequest" });

export type QrPollBody = z.infer<typeof qrPollBody>;
export type QrAuthorizeBody = z.infer<typeof qrAuthorizeBody>;
