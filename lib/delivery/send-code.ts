import { config } from "@/lib/config";
import { providersFromConfig, type Providers } from "./providers";
import { DeliveryError, type CodeMessage } from "./types";

let providers: Providers | undefined;

/**
 * Sends a one-time code through the provider configured for its channel.
 * Throws DeliveryError when the channel has no provider or the provider fails;
 * the caller must then not leave the code usable, and passes the error on as
 * its ApiError's cause, which is where it is logged (with the request id).
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
    throw error instanceof DeliveryError ? error : new DeliveryError(name, `unexpected ${error instanceof Error ? error.name : "error"}`, { cause: error });
  }
}
