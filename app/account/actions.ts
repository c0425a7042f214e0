"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import type { ActionResult, ErrorEnvelope } from "@/components/ui/api-error";
import { addIdentity } from "@/lib/account/add-identity";
import { removeIdentity } from "@/lib/account/remove-identity";
import { revokeDevice } from "@/lib/account/revoke-device";
import { signOut } from "@/lib/account/sign-out";
import { signOutEverywhere } from "@/lib/account/sign-out-everywhere";
import { startAddingIdentity } from "@/lib/account/start-adding-identity";
import { getPortalSession, type PortalSession } from "@/lib/auth/portal-session";
import { ApiError, envelopeOf, errorBody } from "@/lib/http/errors";
import { describeError, log } from "@/lib/log";

// Server actions: Next.js refuses them unless Origin matches Host, which is
// the CSRF check for these cookie-authenticated mutations.

type Caller = PortalSession & { ip: string; userAgent: string };

async function asCaller<T extends object>(work: (caller: Caller) => Promise<T>): Promise<ActionResult<T>> {
  const session = await getPortalSession();
  if (!session) return { ok: false, failure: errorBody("invalid_token", "Your session has ended. Sign in again.") };
  const h = await headers();
  const caller = { ...session, ip: h.get("x-werify-client-ip") ?? "unknown", userAgent: (h.get("user-agent") ?? "").slice(0, 512) };
  try {
    const value = await work(caller);
    revalidatePath("/account");
    return { ok: true, ...value };
  } catch (error) {
    return { ok: false, failure: toEnvelope(error) };
  }
}

function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof ApiError) return envelopeOf(error, { retryAfterInBody: true });
  log("error", "account action failed", { error: describeError(error) });
  return errorBody("server_error", "Something went wrong on our side. Try again in a moment.");
}

function text(value: unknown, max = 320): string {
  return typeof value === "string" ? value.slice(0, max) : "";
}

export async function startAddIdentityAction(id: string, channel?: "sms" | "voice") {
  return asCaller(async (caller) => {
    const started = await startAddingIdentity({ userId: caller.userId, id: text(id), channel: channel === "voice" || channel === "sms" ? channel : undefined, ip: caller.ip, userAgent: caller.userAgent });
    return { started };
  });
}

export async function confirmAddIdentityAction(id: string, code: string, challengeId?: string) {
  return asCaller(async (caller) => {
    const added = await addIdentity({ userId: caller.userId, id: text(id), code: text(code, 8192), challengeId: text(challengeId, 64) || undefined, ip: caller.ip, userAgent: caller.userAgent, sessionId: caller.sessionId });
    return { added: { type: added.type, value: added.value } };
  });
}

export async function removeIdentityAction(identityId: string) {
  return asCaller(async (caller) => removeIdentity({ userId: caller.userId, identityId: text(identityId, 64), ip: caller.ip, userAgent: caller.userAgent, sessionId: caller.sessionId }));
}

export async function revokeSessionAction(sessionId: string) {
  return asCaller(async (caller) => {
    await revokeDevice({ userId: caller.userId, sessionId: text(sessionId, 64), ip: caller.ip });
    return {};
  });
}

/** Ends this browser's portal session; the client then clears the next-auth cookie. */
export async function signOutAction() {
  return asCaller(async (caller) => {
    await signOut({ userId: caller.userId, sessionId: caller.sessionId, ip: caller.ip, userAgent: caller.userAgent });
    return {};
  });
}

export async function signOutEverywhereAction() {
  return asCaller(async (caller) => signOutEverywhere({ userId: caller.userId, sessionId: caller.sessionId, ip: caller.ip, userAgent: caller.userAgent }));
}
