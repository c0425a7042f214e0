"use client";

import { useState } from "react";
import { describeFailure } from "@/components/ui/api-error";
import { LocalTime } from "@/components/ui/local-time";
import { ui } from "@/components/ui/styles";
import { leave } from "./sign-out-buttons";
import { StatusLine, type StatusMessage } from "./status-line";
import type { AccountActions, SessionItem } from "./types";

function howCreated(session: SessionItem): string {
  switch (session.createdVia) {
    case "code":
      return "Signed in with a one-time code";
    case "wallet":
      return "Signed in with a wallet signature";
    case "qr":
      return "Signed in by QR code from another device";
    case "oidc":
      return `Signed in through ${session.clientName ?? "a connected app"}`;
    default:
      return "Signed in";
  }
}

/** Every device that is signed in, this one first; any of them can be signed out from here. */
export function SessionList({ sessions, actions }: { sessions: SessionItem[]; actions: Pick<AccountActions, "revokeSession" | "signOut"> }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusMessage>(null);

  async function revoke(session: SessionItem) {
    setBusy(session.id);
    if (session.current) {
      setStatus({ tone: "info", text: "Signing out this device…" });
      await leave(actions.signOut);
      return;
    }
    setStatus({ tone: "info", text: `Signing out ${session.device}…` });
    const result = await actions.revokeSession(session.id).catch(() => null);
    setBusy(null);
    if (!result) return setStatus({ tone: "error", text: "Could not reach the server. Try again." });
    if (!result.ok) return setStatus({ tone: "error", text: describeFailure(result.failure) });
    setStatus({ tone: "success", text: `${session.device} was signed out. It must sign in again to continue.` });
  }

  return (
    <div>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {sessions.map((session) => (
          <li key={session.id} className="flex flex-col gap-3 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between" data-testid="session">
            <div className="min-w-0 space-y-1">
              <p className="flex flex-wrap items-center gap-2 font-medium">
                <span>{session.device}</span>
                {session.current ? <span className={`${ui.badge} bg-green-100 text-green-900 dark:bg-green-900/50 dark:text-green-200`}>This device</span> : null}
              </p>
              <p className="text-sm text-slate-700 dark:text-slate-300">{howCreated(session)}</p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                {session.ip ? <>IP {session.ip} · </> : null}
                Last active <LocalTime iso={session.lastSeenAt} relativeWithinDay /> · Since <LocalTime iso={session.createdAt} />
              </p>
            </div>
            <button
              type="button"
              className={`${session.current ? ui.secondary : ui.danger} shrink-0 self-start`}
              onClick={() => revoke(session)}
              disabled={busy !== null}
            >
              {busy === session.id ? "Signing out…" : "Sign out"}
              <span className="sr-only">{session.current ? " this device" : ` ${session.device}${session.ip ? ` at ${session.ip}` : ""}`}</span>
            </button>
          </li>
        ))}
      </ul>
      <StatusLine status={status} className="mt-3" />
    </div>
  );
}
