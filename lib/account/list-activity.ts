import { listUserEvents } from "@/lib/db/audit-events";
import { listUserIdentities } from "@/lib/db/identities";
import { kysely } from "@/lib/db/kysely";
import { describeDevice } from "./describe-device";
import { describeEvent, parseDetail } from "./describe-event";

export type ActivityItem = { id: string; type: string; text: string; at: Date; ip: string | null; device: string | null; warning: boolean };

// Failed attempts on an identity are recorded before anyone is signed in, so
// they carry no user id; they still belong on the owner's activity list.
const IDENTITY_EVENTS = ["sign_in_failed", "identity_locked"];
const WARNINGS = new Set(["sign_in_failed", "identity_locked", "refresh_token_reused", "qr_denied", "code_delivery_failed"]);

/** The user's latest account events (newest first) in plain words. */
export async function listActivity({ userId, limit = 20 }: { userId: string; limit?: number }): Promise<ActivityItem[]> {
  const identities = await listUserIdentities(kysely(), userId);
  const events = await listUserEvents(kysely(), { userId, subjects: identities.map((i) => i.value), identityTypes: IDENTITY_EVENTS, limit });
  return events.map((e) => ({
    id: e.id,
    type: e.type,
    text: describeEvent({ type: e.type, subject: e.subject, detail: parseDetail(e.detail) }),
    at: e.createdAt,
    ip: e.ip,
    device: e.userAgent ? describeDevice(e.userAgent).label : null,
    warning: WARNINGS.has(e.type),
  }));
}
