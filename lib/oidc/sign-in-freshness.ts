import type { InteractionInstance } from "oidc-provider";

/**
 * Whether the browser's portal sign-in satisfies the app's request, or the
 * person must sign in again: prompt=login asks for a sign-in made for this
 * request, max_age for one at most that many seconds old. A sign-in made
 * after the request started satisfies both (so max_age=0 cannot loop); the
 * request's time has whole-second precision, so "after" means a later second.
 * The login page and the interaction handler share this, so they agree.
 */
export function needsFreshSignIn(interaction: Pick<InteractionInstance, "iat" | "prompt" | "params">, signedInAt: Date, now = new Date()): boolean {
  if (signedInAt.getTime() >= (interaction.iat + 1) * 1000) return false;
  if (interaction.prompt.name !== "login") return false;
  if (interaction.prompt.reasons.includes("login_prompt")) return true;
  const maxAge = interaction.params.max_age;
  if (maxAge !== undefined && maxAge !== null && maxAge !== "") {
    const seconds = Number(maxAge);
    if (Number.isFinite(seconds) && now.getTime() - signedInAt.getTime() > seconds * 1000) return true;
  }
  return false;
}

/** RFC 8176 method names for how the portal session was opened. */
export function amrFor(via: string): string[] {
  switch (via) {
    case "wallet":
      return ["swk"];
    case "qr":
      return ["mca"];
    default:
      return ["otp"];
  }
}
