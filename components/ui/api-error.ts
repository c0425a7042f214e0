import type { ErrorReason } from "@/lib/http/errors";

/** The API's error envelope (SPEC §3), as the browser receives it from fetch, next-auth or a server action. */
export type ErrorEnvelope = {
  error: string;
  error_description?: string;
  /** Which cause behind `error` it was: the UI branches on this, never on the sentence. */
  reason?: ErrorReason;
  attempts_remaining?: number;
  retry_after?: number;
};

export type ActionResult<T extends object = object> = ({ ok: true } & T) | { ok: false; failure: ErrorEnvelope };

const NETWORK: ErrorEnvelope = { error: "network", error_description: "Could not reach the server. Check your connection and try again." };

/** next-auth passes our envelope through its `error` string; anything else becomes a generic failure. */
export function parseEnvelope(text: string | null | undefined): ErrorEnvelope {
  if (!text) return { error: "server_error" };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && "error" in value && typeof value.error === "string") return value as ErrorEnvelope;
  } catch {
    // next-auth's own codes, e.g. "CredentialsSignin"
  }
  return { error: text === "CredentialsSignin" ? "invalid_code" : "server_error" };
}

/** Reads a failed fetch's envelope, taking `Retry-After` from the header when the body does not carry it. */
export async function envelopeFrom(response: Response): Promise<ErrorEnvelope> {
  let body: Partial<ErrorEnvelope> = {};
  try {
    body = (await response.json()) as Partial<ErrorEnvelope>;
  } catch {
    // not JSON (a proxy's error page)
  }
  const retry = Number(response.headers.get("retry-after"));
  return {
    error: typeof body.error === "string" ? body.error : response.status >= 500 ? "server_error" : "invalid_request",
    error_description: body.error_description,
    reason: body.reason,
    attempts_remaining: body.attempts_remaining,
    retry_after: body.retry_after ?? (Number.isFinite(retry) && retry > 0 ? retry : undefined),
  };
}

export function networkFailure(): ErrorEnvelope {
  return NETWORK;
}

/** "45 seconds", "3 minutes", "about 1 hour". */
export function formatWait(seconds: number | undefined): string {
  const s = Math.max(1, Math.ceil(seconds ?? 0));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"}`;
  const h = Math.round(m / 60);
  return `about ${h} hour${h === 1 ? "" : "s"}`;
}

/** What to tell a person about a failed step, in their words rather than the API's. */
export function describeFailure(failure: ErrorEnvelope, proof: "code" | "signature" = "code"): string {
  const wait = failure.retry_after ? ` Try again in ${formatWait(failure.retry_after)}.` : " Try again later.";
  switch (failure.error) {
    case "invalid_code": {
      const left = failure.attempts_remaining;
      const what = proof === "code" ? "That code is not right." : "The signature does not match this address and message.";
      if (left === undefined) return `${what} Check it and try again.`;
      if (left > 0) return `${what} ${left} attempt${left === 1 ? "" : "s"} left.`;
      return proof === "code" ? "That code can no longer be used. Send a new code." : `${what} This message can no longer be used: start again.`;
    }
    case "expired_code":
      return proof === "code" ? "This code has expired. Send a new code." : "This message has expired. Start again to get a new one.";
    case "too_many_attempts":
      if (failure.reason === "identity_locked") return `Too many wrong codes for this identity, so it is locked for now.${wait}`;
      if (proof === "signature") return "Too many wrong signatures for this message, so it can no longer be used: start again.";
      return "Too many wrong tries: this code no longer works. Send a new code.";
    case "rate_limited":
      return `${failure.error_description ?? "Too many requests."}${wait}`;
    case "invalid_identity":
      return failure.reason === "unrecognised_identity"
        ? "Enter an email address, a phone number with its country code (+44…), or an Ethereum or Bitcoin address."
        : (failure.error_description ?? "This identity cannot be used.");
    case "region_not_allowed":
      return "Codes cannot be sent by SMS or phone call to this country. Use an email address instead.";
    case "delivery_failed":
      return failure.error_description ?? "The code could not be delivered. Try again later or use another identity.";
    case "invalid_token":
      return "Your session has ended. Sign in again.";
    case "network":
    case "not_found":
    case "invalid_request":
      return failure.error_description ?? "That did not work. Try again.";
    default:
      return "Something went wrong on our side. Try again in a moment.";
  }
}
