import type { NextApiRequest, NextApiResponse } from "next";
import { handleProviderRequest } from "@/lib/oidc/mount";

// oidc-provider is a Koa app that needs Node's req/res and reads bodies itself,
// which only a Pages Router API route provides; the issuer stays PUBLIC_URL.
export const config = { api: { bodyParser: false, externalResolver: true } };

export default function oidc(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  return handleProviderRequest(req, res);
}
