"use client";

import { useState } from "react";
import { signOut as endBrowserSession } from "next-auth/react";
import { describeFailure } from "@/components/ui/api-error";
import { ui } from "@/components/ui/styles";
import { StatusLine, type StatusMessage } from "./status-line";
import type { AccountActions } from "./types";

/** Ends the portal session row first, then clears next-auth's cookie, then leaves. */
export async function leave(end: () => Promise<unknown>, to = "/login") {
  await end().catch(() => undefined);
  await endBrowserSession({ redirect: false }).catch(() => undefined);
  window.location.assign(to);
}

export function SignOutButtons({ actions }: { actions: Pick<AccountActions, "signOut" | "signOutEverywhere"> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusMessage>(null);

  async function signOutHere() {
    setBusy(true);
    setStatus({ tone: "info", text: "Signing out…" });
    await leave(actions.signOut);
  }

  async function signOutAll() {
    setBusy(true);
    setStatus({ tone: "info", text: "Signing out every device…" });
    const result = await actions.signOutEverywhere().catch(() => null);
    if (result && !result.ok && result.failure.error !== "invalid_token") {
      setBusy(false);
      setStatus({ tone: "error", text: describeFailure(result.failure) });
      return;
    }
    await leave(async () => undefined, "/login");
  }

  return (
    <div className="flex shrink-0 flex-col items-stretch gap-2 sm:max-w-sm sm:items-end">
      <div className="flex flex-wrap gap-2 sm:flex-nowrap sm:justify-end">
        <button type="button" className={ui.secondary} onClick={signOutHere} disabled={busy}>
          Sign out
        </button>
        {confirming ? null : (
          <button type="button" className={ui.danger} onClick={() => setConfirming(true)} disabled={busy}>
            Sign out everywhere
          </button>
        )}
      </div>
      {confirming ? (
        <div className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950/40" role="group" aria-label="Confirm signing out everywhere">
          <p className="text-red-900 dark:text-red-200">This ends every session: browsers, phones and apps signed in with your account.</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button type="button" className={ui.danger} onClick={signOutAll} disabled={busy} autoFocus>
              Yes, sign out everywhere
            </button>
            <button type="button" className={ui.secondary} onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      <StatusLine status={status} />
    </div>
  );
}
