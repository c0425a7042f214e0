export type Channel = "email" | "sms" | "voice";

export type CodeMessage = { channel: Channel; to: string; code: string; ttlSeconds: number };

/**
 * A message did not reach its provider. `reason` goes into log lines as is, so
 * it is built from status codes and error names, never from the code, the
 * recipient, credentials or a provider's free-text message. `cause`, when set,
 * is for a debugger, not for a log line.
 */
export class DeliveryError extends Error {
  constructor(
    readonly provider: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider}: ${reason}`, options);
    this.name = "DeliveryError";
  }
}

export interface DeliveryProvider {
  readonly name: string;
  /** Resolves once the provider has accepted the message; throws DeliveryError otherwise. */
  send(message: CodeMessage): Promise<void>;
}

/** What every message text needs besides the code. */
export type Branding = { appName: string; publicHost: string };

export const DELIVERY_TIMEOUT_MS = 10_000;
