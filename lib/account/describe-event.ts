export type EventFacts = { type: string; subject: string | null; detail: Record<string, unknown> };

const CHANNEL_WORDS: Record<string, string> = { email: "by email", sms: "by SMS", voice: "by phone call" };

const REVOKE_REASONS: Record<string, string> = {
  revoked_from_account: "A device was signed out from the account page",
  revoked_by_client: "An app signed a session out",
  refresh_token_reused: "A session was ended because an old refresh token was used again",
  signed_out: "Signed out",
  oidc_grant_revoked: "An app's access was revoked",
  oidc_token_reused: "An app's session was ended because an old refresh token was used again",
  oidc_access_removed: "Removed an app's access to the account",
  oidc_client_removed: "An app was removed from the portal, ending its sessions",
};

function withApp(text: string, clientName: unknown): string {
  return typeof clientName === "string" && clientName ? `${text} (${clientName})` : text;
}

function minutes(seconds: unknown): string {
  const n = typeof seconds === "number" ? Math.max(1, Math.round(seconds / 60)) : 0;
  return n ? ` for ${n} minute${n === 1 ? "" : "s"}` : "";
}

/**
 * One audit event in words a person understands. Only facts the audit row
 * already holds (identities, app names, counts) — never codes or tokens.
 */
export function describeEvent({ type, subject, detail }: EventFacts): string {
  const who = subject ?? "an identity";
  const app = typeof detail.client_name === "string" ? detail.client_name : typeof detail.client_id === "string" ? detail.client_id : "an app";
  switch (type) {
    case "sign_in":
      if (detail.via === "wallet") return detail.new_user ? `Created the account by signing with ${who}` : `Signed in with a signature from ${who}`;
      if (detail.via === "qr") return "Signed in by a QR code approved on another device";
      if (detail.via === "oidc") return `Signed in to ${app}`;
      return detail.new_user ? `Created the account with a code sent to ${who}` : `Signed in with a code sent to ${who}`;
    case "sign_in_failed":
      return `A wrong code was entered for ${who}`;
    case "identity_locked":
      return `${who} was locked${minutes(detail.seconds)} after too many wrong codes`;
    case "code_sent":
      return `A code was sent to ${who} ${CHANNEL_WORDS[String(detail.channel)] ?? ""}`.trim();
    case "code_delivery_failed":
      return `A code could not be delivered to ${who}`;
    case "identity_added":
      return `Added ${who}`;
    case "identity_removed":
      return `Removed ${who}`;
    case "refresh_token_reused":
      return "An old refresh token was used again, so its session was ended";
    case "session_revoked":
      return withApp(REVOKE_REASONS[String(detail.reason)] ?? "A session was ended", detail.client_name);
    case "signed_out":
      return "Signed out";
    case "signed_out_everywhere": {
      const n = typeof detail.sessions === "number" ? detail.sessions : null;
      return n === null ? "Signed out everywhere" : `Signed out everywhere (${n} session${n === 1 ? "" : "s"} ended)`;
    }
    case "qr_scanned":
      return "A sign-in QR code was scanned";
    case "qr_approved":
      return "Approved a QR sign-in on another screen";
    case "qr_denied":
      return "Denied a QR sign-in on another screen";
    case "oidc_consent_granted":
      return `Allowed ${app} to use your account`;
    case "oidc_consent_revoked":
      return `Removed ${app}'s access`;
    case "oidc_sign_in":
      return `Signed in to ${app}`;
    default:
      return "Account activity";
  }
}

export function parseDetail(detail: string | null): Record<string, unknown> {
  if (!detail) return {};
  try {
    const value: unknown = JSON.parse(detail);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
