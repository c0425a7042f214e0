"use client";

import { useState } from "react";
import { describeFailure } from "@/components/ui/api-error";
import { identityTypeLabel } from "@/components/ui/identity-kind";
import { LocalTime } from "@/components/ui/local-time";
import { ui } from "@/components/ui/styles";
import { AddIdentity } from "./add-identity";
import { StatusLine, type StatusMessage } from "./status-line";
import type { AccountActions, IdentityItem } from "./types";

const TYPE_STYLES: Record<string, string> = {
  email: "bg-blue-100 text-blue-900 dark:bg-blue-900/50 dark:text-blue-100",
  mobile_number: "bg-violet-100 text-violet-900 dark:bg-violet-900/50 dark:text-violet-100",
  phone_number: "bg-violet-100 text-violet-900 dark:bg-violet-900/50 dark:text-violet-100",
  crypto: "bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100",
};

/** The ways to sign in to this account: add one by verifying it, remove any but the last. */
export function IdentityList({ identities, actions }: { identities: IdentityItem[]; actions: Pick<AccountActions, "startAddIdentity" | "confirmAddIdentity" | "removeIdentity"> }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusMessage>(null);
  const only = identities.length === 1;

  async function remove(identity: IdentityItem) {
    setBusy(true);
    setStatus({ tone: "info", text: `Removing ${identity.value}…` });
    const result = await actions.removeIdentity(identity.id).catch(() => null);
    setBusy(false);
    setConfirming(null);
    if (!result) return setStatus({ tone: "error", text: "Could not reach the server. Try again." });
    if (!result.ok) return setStatus({ tone: "error", text: describeFailure(result.failure) });
    setStatus({ tone: "success", text: `${identity.value} was removed. It can no longer sign in to this account.` });
  }

  return (
    <div>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {identities.map((identity) => (
          <li key={identity.id} className="flex flex-col gap-3 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between" data-testid="identity">
            <div className="min-w-0 space-y-1">
              <p className="flex flex-wrap items-center gap-2">
                <span className={`${ui.badge} ${TYPE_STYLES[identity.type] ?? "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100"}`}>{identityTypeLabel(identity.type)}</span>
                <span className={`min-w-0 wrap-anywhere font-medium ${identity.type === "crypto" ? "font-mono text-sm" : ""}`}>{identity.value}</span>
              </p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                Verified <LocalTime iso={identity.verifiedAt} />
              </p>
            </div>
            {only ? (
              <p className="shrink-0 text-sm text-slate-600 sm:max-w-48 sm:text-right dark:text-slate-400">Your only way to sign in: add another before removing it.</p>
            ) : confirming === identity.id ? (
              <div className="flex shrink-0 flex-wrap gap-2" role="group" aria-label={`Confirm removing ${identity.value}`}>
                <button type="button" className={ui.danger} onClick={() => remove(identity)} disabled={busy} autoFocus>
                  Yes, remove
                </button>
                <button type="button" className={ui.secondary} onClick={() => setConfirming(null)} disabled={busy}>
                  Keep
                </button>
              </div>
            ) : (
              <button type="button" className={`${ui.secondary} shrink-0 self-start`} onClick={() => setConfirming(identity.id)} disabled={busy}>
                Remove<span className="sr-only"> {identity.value}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <StatusLine status={status} className="mt-2" />
      <AddIdentity actions={actions} onAdded={(value) => setStatus({ tone: "success", text: `${value} was added. You can now sign in with it.` })} />
    </div>
  );
}
