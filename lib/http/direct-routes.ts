import { POST as poll } from "@/app/v1/oauth/qr/route";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import type { HotRequest } from "./hot-request";

export type DirectHandler = (request: HotRequest, segment: { params: Promise<Record<string, never>> }) => Promise<Response>;

/**
 * The routes server.mts serves itself, without Next's per-request pipeline
 * (about 2 ms of CPU and 150 KB per request here): the API's hot paths — sign,
 * verify, and the QR poll thousands of waiting screens renew. The same handlers
 * Next would call; typed against HotRequest, which is all they get here.
 */
export const directRoutes: ReadonlyMap<string, DirectHandler> = new Map<string, DirectHandler>([
  ["POST /v1/oauth/sign", sign],
  ["POST /v1/oauth/verify", verify],
  ["POST /v1/oauth/qr", poll],
]);
