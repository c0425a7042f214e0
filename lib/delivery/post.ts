import { DELIVERY_TIMEOUT_MS, DeliveryError } from "./types";

/**
 * POSTs to a provider's HTTP API and returns its 2xx response. Every failure
 * becomes a DeliveryError whose reason names the status or the network error,
 * never the URL (it can hold an account id) or the body (it holds the code).
 */
export async function post(provider: string, url: string, init: { headers: Record<string, string>; body: string }): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", ...init, redirect: "error", signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
  } catch (error) {
    throw new DeliveryError(provider, networkReason(error));
  }
  if (!response.ok) throw new DeliveryError(provider, `HTTP ${response.status}${await providerCode(response)}`);
  await response.body?.cancel();
  return response;
}

function networkReason(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  // undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return `network error ${cause.code}`;
  return `network error ${error instanceof Error ? error.name : "unknown"}`;
}

// Twilio's numeric error code (e.g. 21211 invalid number) says what went wrong; its message may echo the recipient.
async function providerCode(response: Response): Promise<string> {
  const body: unknown = await response.json().catch(() => null);
  const code = typeof body === "object" && body !== null ? (body as { code?: unknown }).code : undefined;
  return typeof code === "number" ? ` (provider error ${code})` : "";
}
