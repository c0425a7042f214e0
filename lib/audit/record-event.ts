import { newId, on, sql, type PrismaRaw, type Runner } from "@/lib/db/sql";

export type AuditType =
  | "code_sent"
  | "code_delivery_failed"
  | "sign_in"
  | "sign_in_failed"
  | "identity_locked"
  | "identity_added"
  | "identity_removed"
  | "refresh_token_reused"
  | "session_revoked"
  | "qr_scanned"
  | "qr_approved"
  | "qr_denied"
  | "signed_out"
  | "signed_out_everywhere"
  | "oidc_consent_granted"
  | "oidc_consent_revoked"
  | "oidc_sign_in";

export type AuditEventInput = {
  type: AuditType;
  userId?: string | null;
  subject?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, string | number | boolean | null>;
};

/** Writes one audit row; pass the transaction so the row commits with the change it describes. */
export async function recordEvent(tx: Runner | PrismaRaw, event: AuditEventInput): Promise<void> {
  await on(tx).run(sql`
    INSERT INTO audit_events (id, user_id, type, subject, session_id, ip, user_agent, detail, created_at)
    VALUES (${newId()}, ${event.userId ?? null}, ${event.type}, ${event.subject ?? null}, ${event.sessionId ?? null}, ${event.ip ?? null},
      ${event.userAgent?.slice(0, 512) ?? null}, ${event.detail ? JSON.stringify(event.detail) : null}, ${new Date()})`);
}
