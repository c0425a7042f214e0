"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { describeError } from "./qr-errors";
import { formatDuration, useClock, useSecondsLeft } from "./use-clock";

export type Requester = { browser: string; os: string; ip: string; location: string; created_at: string; expires_in: number };

type Outcome = { kind: "approved" | "denied" } | { kind: "error"; title: string; detail: string };

/** The phone's decision: Approve and Deny side by side with equal weight, then a result screen. */
export function QrApproval({ qrToken, requester, account }: { qrToken: string; requester: Requester; account: string }) {
  const [busy, setBusy] = useState<"approve" | "deny" | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [deadline] = useState(() => Date.now() + requester.expires_in * 1000);
  const clock = useClock();
  const heading = useRef<HTMLHeadingElement>(null);
  const secondsLeft = useSecondsLeft(deadline);

  async function decide(decision: "approve" | "deny") {
    setBusy(decision);
    const response = await fetch("/v1/oauth/qr/authorize", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ qr_token: qrToken, decision }),
      cache: "no-store",
    }).catch(() => null);
    const body = response ? await response.json().catch(() => ({})) : {};
    setBusy(null);
    if (response?.ok) setOutcome({ kind: body.status === "approved" ? "approved" : "denied" });
    else if (!response) setOutcome({ kind: "error", title: "No connection", detail: "Your answer did not reach the server. Check your connection and try again." });
    else setOutcome({ kind: "error", ...describeError(body.error) });
    requestAnimationFrame(() => heading.current?.focus());
  }

  if (outcome) return <Result outcome={outcome} headingRef={heading} />;

  const expired = secondsLeft === 0;
  return (
    <section aria-labelledby="qr-approval-title" className="space-y-5">
      <div>
        <h1 id="qr-approval-title" className="text-2xl font-semibold">
          Sign in on another screen?
        </h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          A screen is asking to sign in as <strong className="font-semibold break-words text-slate-900 dark:text-slate-100">{account}</strong>.
        </p>
      </div>
      <dl className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        <Row label="Browser" value={requester.browser} />
        <Row label="Operating system" value={requester.os} />
        <Row label="IP address" value={requester.ip} />
        <Row label="Location" value={requester.location} />
        <Row label="Requested" value={<RequestedAt iso={requester.created_at} clock={clock} />} />
      </dl>
      <div role="note" className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
        <p className="font-semibold">If you did not start this sign-in on another screen, deny it.</p>
        <p className="mt-1">Approving gives that screen full access to your account. Someone may have sent you this code to get in.</p>
      </div>
      <div className="grid grid-cols-2 gap-3">
        <button
          type="button"
          disabled={busy !== null}
          onClick={() => decide("deny")}
          className="rounded-lg border-2 border-red-700 bg-white px-4 py-3 text-base font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-500 dark:bg-slate-900 dark:text-red-300 dark:hover:bg-red-950"
        >
          {busy === "deny" ? "Denying…" : "Deny"}
        </button>
        <button
          type="button"
          disabled={busy !== null || expired}
          onClick={() => decide("approve")}
          className="rounded-lg border-2 border-blue-700 bg-white px-4 py-3 text-base font-semibold text-blue-800 hover:bg-blue-50 disabled:opacity-60 dark:border-blue-400 dark:bg-slate-900 dark:text-blue-300 dark:hover:bg-blue-950"
        >
          {busy === "approve" ? "Approving…" : "Approve"}
        </button>
      </div>
      <p className="text-center text-sm text-slate-600 tabular-nums dark:text-slate-400" aria-live="polite">
        {secondsLeft === null ? "\u00a0" : expired ? "This request has expired." : `This request expires in ${formatDuration(secondsLeft)}`}
      </p>
    </section>
  );
}

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-4 px-4 py-3">
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-right font-medium break-all">{value}</dd>
    </div>
  );
}

function RequestedAt({ iso, clock }: { iso: string; clock: number | null }) {
  const at = new Date(iso);
  // Formatted in the phone's own time zone, once the page runs there.
  if (clock === null) return <time dateTime={iso}>{iso.slice(11, 16)} UTC</time>;
  const ago = Math.max(0, clock - Math.floor(at.getTime() / 1000));
  const relative = ago < 60 ? `${ago} s ago` : `${Math.floor(ago / 60)} min ago`;
  return (
    <time dateTime={iso}>
      {at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })} · {relative}
    </time>
  );
}

function Result({ outcome, headingRef }: { outcome: Outcome; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  const content =
    outcome.kind === "approved"
      ? { icon: "✓", tone: "bg-emerald-600", title: "Sign-in approved", detail: "The other screen is signing in now. You can close this page." }
      : outcome.kind === "denied"
        ? { icon: "✕", tone: "bg-slate-700", title: "Sign-in denied", detail: "Nothing was signed in. If you did not start this, someone may have your QR code — no action is needed, it cannot be used again." }
        : { icon: "!", tone: "bg-amber-600", title: "title" in outcome ? outcome.title : "", detail: "detail" in outcome ? outcome.detail : "" };
  return (
    <section className="space-y-4 py-6 text-center" aria-live="polite">
      <span className={`mx-auto flex size-16 items-center justify-center rounded-full text-3xl font-bold text-white ${content.tone}`} aria-hidden="true">
        {content.icon}
      </span>
      <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-semibold">
        {content.title}
      </h1>
      <p className="text-slate-600 dark:text-slate-300">{content.detail}</p>
      <Link href="/account" className="inline-block rounded-md px-3 py-2 font-medium text-blue-700 underline dark:text-blue-300">
        Go to your account
      </Link>
    </section>
  );
}
