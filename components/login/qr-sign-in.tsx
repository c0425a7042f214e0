"use client";

import { signIn } from "next-auth/react";
import { QRCodeSVG } from "qrcode.react";
import { useRef, useState } from "react";
import useSWR from "swr";
import { formatDuration, useSecondsLeft } from "@/components/qr/use-clock";

/** The QR code shown; the poll token stays in the HttpOnly cookie the server set and is never kept here. */
type Qr = { token: string; url: string; expiresAt: number; interval: number };

type Poll =
  | { status: "pending" | "scanned"; expiresAt: number; interval: number; heldMs: number }
  | { status: "approved"; handoff: string }
  | { status: "denied" | "expired" | "consumed" }
  | { status: "failed"; message: string };

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfter = 1,
  ) {
    super(message);
  }
}

class QrRequestError extends Error {}

const AUTO_RENEWALS = 3;
const LONG_POLL_SECONDS = 25;

async function requestQr(): Promise<Qr> {
  const response = await fetch("/v1/oauth/qr", { cache: "no-store" }).catch(() => null);
  if (!response) throw new QrRequestError("Could not reach the server. Check your connection.");
  const body = await response.json().catch(() => ({}));
  if (response.status === 429) {
    throw new QrRequestError(`Too many QR codes were requested from this network. Try again in ${formatDuration(Number(response.headers.get("retry-after") ?? 60))}.`);
  }
  if (!response.ok) throw new QrRequestError("Could not get a QR code. Try again.");
  return { token: body.qr_token, url: body.qr_url, expiresAt: Date.now() + body.expires_in * 1000, interval: body.interval };
}

/** One long poll. Terminal answers become states; anything worth retrying throws for SWR's retry. */
async function longPoll(qrToken: string): Promise<Poll> {
  const started = Date.now();
  const response = await fetch("/v1/oauth/qr", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ qr_token: qrToken, wait: LONG_POLL_SECONDS }),
    cache: "no-store",
  }).catch(() => null);
  if (!response) throw new RetryableError("offline", 2);
  const body = await response.json().catch(() => ({}));
  if (response.ok && body.status === "approved") return { status: "approved", handoff: body.handoff };
  if (response.ok) return { status: body.status, expiresAt: Date.now() + body.expires_in * 1000, interval: body.interval, heldMs: Date.now() - started };
  if (response.status === 403) return { status: "denied" };
  if (response.status === 410) return { status: body.error === "qr_consumed" ? "consumed" : "expired" };
  if (response.status === 400) return { status: "failed", message: "This QR code can no longer be checked from this browser." };
  throw new RetryableError(body.error ?? `HTTP ${response.status}`, Number(response.headers.get("retry-after") ?? 2));
}

export function QrSignIn({ next }: { next: string }) {
  const [mountId] = useState(() => Math.random().toString(36).slice(2));
  const [generation, setGeneration] = useState(0);
  const [renewals, setRenewals] = useState(0);
  const [finishing, setFinishing] = useState<"signing-in" | "failed" | null>(null);
  const lastStatus = useRef<string | null>(null);
  const finished = useRef(false);

  const qr = useSWR(["qr-code", mountId, generation], requestQr, {
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
    revalidateIfStale: false,
    shouldRetryOnError: false,
    dedupingInterval: 0,
  });

  const poll = useSWR(qr.data && !finishing ? ["qr-poll", qr.data.token] : null, ([, token]) => longPoll(token), {
    // The next long poll starts right after an answer; only a suspiciously quick, unchanged answer waits the server's interval.
    refreshInterval: (data) => {
      if (!data || (data.status !== "pending" && data.status !== "scanned")) return 0;
      const quickAndSame = data.heldMs < 1000 && lastStatus.current === data.status;
      lastStatus.current = data.status;
      return quickAndSame ? data.interval * 1000 : 50;
    },
    refreshWhenHidden: true,
    revalidateOnFocus: false,
    revalidateIfStale: false,
    dedupingInterval: 0,
    onErrorRetry: (error, _key, _config, revalidate, { retryCount }) => {
      const after = error instanceof RetryableError ? error.retryAfter : 2;
      setTimeout(() => revalidate({ retryCount }), Math.min(30, Math.max(1, after) * Math.min(retryCount, 5)) * 1000);
    },
    onSuccess: (data) => {
      if (data.status === "approved") void finish(data.handoff);
      if (data.status === "expired" && renewals < AUTO_RENEWALS) renew(true);
    },
  });

  function renew(automatic: boolean) {
    lastStatus.current = null;
    setRenewals(automatic ? renewals + 1 : 0);
    setGeneration((g) => g + 1);
  }

  // The one-time handoff of this approval (valid for a minute) opens the browser session; the API tokens never do.
  async function finish(handoff: string) {
    if (finished.current) return;
    finished.current = true;
    setFinishing("signing-in");
    const result = await signIn("portal", { handoff, redirect: false }).catch(() => undefined);
    if (result?.ok && !result.error) {
      window.location.assign(next);
      return;
    }
    finished.current = false;
    setFinishing("failed");
  }

  const state = poll.data;
  const status = finishing ?? (qr.error ? "unavailable" : !qr.data ? "loading" : (state?.status ?? "pending"));
  const expiresAt = state && "expiresAt" in state ? state.expiresAt : qr.data?.expiresAt;
  const secondsLeft = useSecondsLeft(status === "pending" || status === "scanned" ? expiresAt : undefined);
  const renewing = status === "expired" && renewals < AUTO_RENEWALS;
  const needsButton = ["denied", "consumed", "failed", "unavailable"].includes(status) || (status === "expired" && !renewing);
  const waiting = status === "pending" || status === "loading";
  const done = status === "scanned" || status === "approved" || status === "signing-in";
  // A code that can no longer be used is faded almost away, so nobody scans it.
  const badge = waiting ? null : done ? { icon: "✓", tone: "bg-emerald-600" } : status === "denied" ? { icon: "✕", tone: "bg-slate-700" } : { icon: "!", tone: "bg-amber-600" };

  const message: Record<string, string> = {
    loading: "Getting a QR code…",
    pending: "Waiting for your phone to scan the code",
    scanned: "Scanned — confirm on your phone",
    approved: "Approved — signing you in…",
    "signing-in": "Approved — signing you in…",
    denied: "Sign-in was denied on your phone.",
    expired: renewing ? "The code expired — getting a new one…" : "This QR code has expired.",
    consumed: "This QR code was already used.",
    failed: state?.status === "failed" ? state.message : "Approved on your phone, but this browser could not be signed in.",
    unavailable: qr.error instanceof Error ? qr.error.message : "Could not get a QR code.",
  };

  return (
    <div className="flex flex-col items-center gap-5 text-center">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Scan this code with the camera of a phone where you are already signed in, then approve the sign-in there.
      </p>
      <div className="relative">
        <div className={`rounded-xl bg-white p-3 shadow-sm ring-1 ring-slate-200 transition-opacity dark:ring-slate-700 ${waiting ? "" : done ? "opacity-25" : "opacity-10"}`}>
          {qr.data ? (
            <QRCodeSVG value={qr.data.url} size={208} marginSize={2} level="M" title="QR code to scan with your phone" role="img" aria-label="QR code to scan with your phone" />
          ) : (
            <div className="size-[224px] animate-pulse rounded-lg bg-slate-100" aria-hidden="true" />
          )}
        </div>
        {badge ? (
          <div className="absolute inset-0 flex items-center justify-center" aria-hidden="true">
            <span className={`flex size-16 items-center justify-center rounded-full text-3xl font-bold text-white shadow-lg ${badge.tone}`}>{badge.icon}</span>
          </div>
        ) : null}
      </div>
      <div className="min-h-[3.5rem] space-y-1">
        <p role="status" aria-live="polite" className="font-medium" data-qr-status={status}>
          {message[status]}
        </p>
        {secondsLeft !== null && (status === "pending" || status === "scanned") ? (
          <p className="text-sm text-slate-600 tabular-nums dark:text-slate-400">
            {status === "scanned" ? `Approve on your phone within ${formatDuration(secondsLeft)}` : `Code expires in ${formatDuration(secondsLeft)}`}
          </p>
        ) : null}
      </div>
      {needsButton ? (
        <button
          type="button"
          onClick={() => {
            setFinishing(null);
            renew(false);
          }}
          className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800"
        >
          New code
        </button>
      ) : null}
    </div>
  );
}
