import type { InteractionInstance, InteractionResults } from "oidc-provider";
import type Provider from "oidc-provider";
import { nodeRequest } from "./node-bridge";
import { oidcProvider } from "./provider";

export type OpenInteraction = {
  provider: Provider;
  interaction: InteractionInstance;
  /** Stores the result and returns where the browser goes next (the provider's resume URL). */
  finish(result: InteractionResults): Promise<string>;
};

export function interactionPath(uid: string): string {
  return `/oidc/interaction/${encodeURIComponent(uid)}`;
}

/**
 * The interaction this browser started, or null. The uid in the URL alone is
 * not enough: it must match the signed interaction cookie oidc-provider set
 * for this browser, or anyone who learnt a uid could finish someone else's
 * sign-in (and log them in as themselves).
 */
export async function openInteraction({ uid, headers }: { uid: string; headers: Headers }): Promise<OpenInteraction | null> {
  const provider = await oidcProvider();
  const { req, res } = nodeRequest({ path: interactionPath(uid), headers });
  let interaction: InteractionInstance;
  try {
    interaction = await provider.interactionDetails(req, res);
  } catch {
    return null;
  }
  if (interaction.uid !== uid) return null;
  return {
    provider,
    interaction,
    finish: (result) => provider.interactionResult(req, res, result, { mergeWithLastSubmission: !("error" in result) }),
  };
}

/** Looks an interaction up by uid alone, for display only (the login page shows which app is asking). */
export async function peekInteraction(uid: string): Promise<InteractionInstance | null> {
  if (!/^[\w-]{10,64}$/.test(uid)) return null;
  const provider = await oidcProvider();
  const interaction = await provider.Interaction.find(uid);
  return interaction && interaction.exp * 1000 > Date.now() ? interaction : null;
}
