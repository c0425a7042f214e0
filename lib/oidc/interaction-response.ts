import { redirectUrl } from "@/lib/http/safe-redirect";
import { interactionProblem } from "./views";

type Outcome = { kind: "redirect"; location: string } | { kind: "expired" } | { kind: "account_changed" } | { kind: "forbidden" };

/** An interaction step's outcome as the browser's response: a 303 onwards, or a portal page saying why not. */
export function interactionResponse(outcome: Outcome): Response {
  // The provider's resume URL and the portal's own paths only; anything else is treated as a dead interaction.
  const location = outcome.kind === "redirect" ? redirectUrl(outcome.location) : null;
  if (location) return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
  const { status, html } = interactionProblem(outcome.kind === "redirect" ? "expired" : outcome.kind);
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
