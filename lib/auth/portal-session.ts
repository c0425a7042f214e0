import { getServerSession } from "next-auth";
import { touchSessionIfStale } from "@/lib/db/sessions";
import { authOptions } from "./next-auth";

export type PortalSession = { userId: string; sessionId: string };

/**
 * The signed-in user of this browser request, or null. next-auth's session
 * callback already refuses a revoked session; last-seen is kept at minute grain.
 */
export async function getPortalSession(): Promise<PortalSession | null> {
  const session = (await getServerSession(authOptions()).catch(() => null)) as { user?: { id?: string }; sid?: string } | null;
  if (!session?.user?.id || !session.sid) return null;
  const now = new Date();
  await touchSessionIfStale(session.sid, now);
  return { userId: session.user.id, sessionId: session.sid };
}
