import { randomBytes } from "node:crypto";
import type { Request } from "autocannon";
import type { CodeReader } from "./code-reader";

const JSON_HEADERS = { "content-type": "application/json" };

export type SignInCounter = { signIns: number; failed: number };

/**
 * Sign + verify with a new identity each time, as one autocannon request
 * chain per connection: POST /v1/oauth/sign for a fresh email, the code read
 * from the demo outbox, POST /v1/oauth/verify. A sign that got no code sends
 * the connection back to a new sign (autocannon counts it as a reset).
 */
export function signVerifyRequests(codes: CodeReader, counter: SignInCounter): Request[] {
  const run = randomBytes(4).toString("hex");
  let n = 0;
  return [
    {
      method: "POST",
      path: "/v1/oauth/sign",
      headers: JSON_HEADERS,
      setupRequest: (request, context) => {
        const email = `bench-${run}-${n++}@example.com`;
        context.email = email;
        return { ...request, body: JSON.stringify({ id: email }) };
      },
    },
    {
      method: "POST",
      path: "/v1/oauth/verify",
      headers: JSON_HEADERS,
      setupRequest: (request, context) => {
        const email = String(context.email);
        const code = codes.read(email);
        if (!code) return null;
        return { ...request, body: JSON.stringify({ id: email, code }) };
      },
      onResponse: (status) => {
        if (status === 200) counter.signIns++;
        else counter.failed++;
      },
    },
  ];
}

/** One sign-in outside the load (e.g. the approving phone's user): the access token. */
export async function signInOnce(baseUrl: string, codes: CodeReader, email: string): Promise<string> {
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });
  const signed = await post("/v1/oauth/sign", { id: email });
  if (!signed.ok) throw new Error(`sign answered ${signed.status}`);
  const code = codes.read(email);
  if (!code) throw new Error(`no code in the outbox for ${email}`);
  const verified = await post("/v1/oauth/verify", { id: email, code });
  const body = (await verified.json()) as { access_token?: string };
  if (!verified.ok || !body.access_token) throw new Error(`verify answered ${verified.status}`);
  return body.access_token;
}
