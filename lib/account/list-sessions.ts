import { listLiveSessions } from "@/lib/db/sessions";
import { describeDevice, type Device } from "./describe-device";

export type SessionRow = {
  id: string;
  device: Device;
  ip: string | null;
  createdVia: string;
  clientId: string | null;
  clientName: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

/** The user's signed-in devices that still work, most recently used first; `current` marks this browser's. */
export async function listSessions({ userId, currentSessionId, now = new Date() }: { userId: string; currentSessionId?: string; now?: Date }): Promise<SessionRow[]> {
  const sessions = await listLiveSessions(userId, now, 100);
  const rows = sessions.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    ip: s.ip,
    createdVia: s.createdVia,
    clientId: s.clientId,
    clientName: s.clientId ? s.clientName : null,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    current: s.id === currentSessionId,
  }));
  // This browser first: it is the one people look for.
  return rows.sort((a, b) => Number(b.current) - Number(a.current));
}
