import { insertAuditEvent, type NewAuditEvent } from "@/lib/db/audit-events";
import { newId } from "@/lib/db/ids";
import type { Queryable } from "@/lib/db/kysely";

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
export async function recordEvent(tx: Queryable, event: AuditEventInput): Promise<void> {
  await insertAuditEvent(tx, auditRow(event));
}

/** The row recordEvent writes, for a statement that writes it together with the change it describes (lib/db/sign-ins.ts). */
export function auditRow(event: AuditEventInput): NewAuditEvent & { id: string } {
  return {
    id: newId(),
    type: event.type,
    userId: event.userId ?? null,
    subject: event.subject ?? null,
    sessionId: event.sessionId ?? null,
    ip: event.ip ?? null,
    userAgent: event.userAgent?.slice(0, 512) ?? null,
    detail: event.detail ? JSON.stringify(event.detail) : null,
    at: new Date(),
  };
}
