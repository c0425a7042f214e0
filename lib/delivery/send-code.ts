import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { providersFromConfig, type Providers } from "./providers";
import { DeliveryError, type CodeMessage } from "./types";

let providers: Providers | undefined;

/**
 * Sends a one-time code through the provider configured for its channel.
 * Throws DeliveryError when the channel has no provider or the provider fails;
 * the caller must then not leave the code usable.
 */
export async function sendCode(message: CodeMessage): Promise<void> {
  providers ??= providersFromConfig(config());
  const provider = providers[message.channel];
  const name = provider?.name ?? "none";
  try {
    if (!provider) throw new DeliveryError("none", `${message.channel} delivery is not configured`);
    await provider.send(message);
  } catch (error) {
    // Anything else escaping a provider is a bug; callers still get the one error type.
    const failure = error instanceof DeliveryError ? error : new DeliveryError(name, `unexpected ${error instanceof Error ? error.name : "error"}`, { cause: error });
    log("error", "delivery failed", { provider: failure.provider, channel: message.channel, reason: failure.reason });
    throw failure;
  }
}
