import type { Request } from "autocannon";

export type PendingQr = { qr_token: string; poll_token: string };

const JSON_HEADERS = { "content-type": "application/json" };

/** Makes `count` pending QR logins through `GET /v1/oauth/qr`, `concurrency` at a time. */
export async function createQrLogins(baseUrl: string, count: number, concurrency = 16): Promise<PendingQr[]> {
  const logins: PendingQr[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const response = await fetch(`${baseUrl}/v1/oauth/qr`, { headers: { "user-agent": "werify-bench" } });
      const body = (await response.json()) as Partial<PendingQr> & { error?: string };
      if (!response.ok || !body.qr_token || !body.poll_token) throw new Error(`GET /v1/oauth/qr answered ${response.status} ${body.error ?? ""}`);
      logins.push({ qr_token: body.qr_token, poll_token: body.poll_token });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return logins;
}

/**
 * The short poll of SPEC §3.4 as an autocannon request that walks through
 * every pending login in turn, so each one is polled once per
 * `logins.length / rate` seconds — slower than the 1/s that earns a 429
 * slow_down as long as there are more logins than requests per second.
 */
export function shortPollRequests(logins: PendingQr[]): Request[] {
  const bodies = logins.map((l) => JSON.stringify({ qr_token: l.qr_token, poll_token: l.poll_token }));
  let turn = 0;
  return [
    {
      method: "POST",
      path: "/v1/oauth/qr",
      headers: JSON_HEADERS,
      setupRequest: (request) => ({ ...request, body: bodies[turn++ % bodies.length] }),
    },
  ];
}
