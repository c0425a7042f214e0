"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from "react";
import { CodeField } from "@/components/ui/code-field";
import { describeFailure } from "@/components/ui/api-error";
import { KIND_LABELS } from "@/components/ui/identity-kind";
import { useIdentityKind } from "@/components/ui/use-identity-kind";
import { useRefocus } from "@/components/ui/use-refocus";
import { ui } from "@/components/ui/styles";
import { formatClock, useCountdown } from "@/components/ui/use-countdown";
import { WalletSignIn } from "@/components/login/wallet-sign-in";
import { StatusLine, type StatusMessage } from "./status-line";
import type { AccountActions, StartedChallenge } from "./types";

type Step =
  | { kind: "closed" }
  | { kind: "identity" }
  | { kind: "code"; id: string; channel: "email" | "sms" | "voice"; idType: string; codeLength: number; expiresAt: number; resendAt: number }
  | { kind: "wallet"; id: string; challengeId: string; message: string };

const SENT: Record<"email" | "sms" | "voice", string> = { email: "We emailed a code to", sms: "We texted a code to", voice: "We are calling with a code at" };

/** Adds an email, number or wallet to the account by verifying it, as at sign-in. */
export function AddIdentity({ actions, onAdded }: { actions: Pick<AccountActions, "startAddIdentity" | "confirmAddIdentity">; onAdded: (value: string) => void }) {
  const ids = useId();
  const [step, setStep] = useState<Step>({ kind: "closed" });
  const [identity, setIdentity] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<StatusMessage>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const identityRef = useRef<HTMLInputElement>(null);
  // After a refused code, focus returns to the field once it is enabled again.
  const [codeRef, refocusCode] = useRefocus<HTMLInputElement>();

  const { kind, wallet, phone } = useIdentityKind(identity);

  // Focus follows the step; closing returns it to the button that opened the form.
  const opened = useRef(false);
  useEffect(() => {
    if (step.kind === "identity") identityRef.current?.focus();
    if (step.kind === "code") codeRef.current?.focus();
    if (step.kind === "closed" && opened.current) openRef.current?.focus();
    if (step.kind !== "closed") opened.current = true;
  }, [step.kind, codeRef]);

  function close(message: StatusMessage = null) {
    setStep({ kind: "closed" });
    setIdentity("");
    setCode("");
    setStatus(message);
  }

  function enter(id: string, started: StartedChallenge) {
    setCode("");
    if (started.channel === "wallet") {
      setStep({ kind: "wallet", id, challengeId: started.challenge_id, message: started.message });
      setStatus({ tone: "info", text: "Sign the message with this wallet to prove it is yours." });
      return;
    }
    const now = Date.now();
    setStep({ kind: "code", id, channel: started.channel, idType: started.id_type, codeLength: started.code_length, expiresAt: now + started.expires_in * 1000, resendAt: now + started.resend_after * 1000 });
    setStatus({ tone: "info", text: `Code sent. ${SENT[started.channel]} ${id}.` });
  }

  async function start(event: FormEvent) {
    event.preventDefault();
    const id = identity.trim();
    if (!id || busy) return;
    setBusy(true);
    setStatus({ tone: "info", text: wallet ? "Preparing the message to sign…" : "Sending a code…" });
    const result = await actions.startAddIdentity(id).catch(() => null);
    setBusy(false);
    if (!result) return setStatus({ tone: "error", text: "Could not reach the server. Try again." });
    if (!result.ok) {
      setStatus({ tone: "error", text: describeFailure(result.failure) });
      identityRef.current?.focus();
      return;
    }
    enter(id, result.started);
  }

  async function resend(channel?: "sms" | "voice") {
    if (step.kind !== "code" || busy) return;
    setBusy(true);
    const result = await actions.startAddIdentity(step.id, channel).catch(() => null);
    setBusy(false);
    if (!result) return setStatus({ tone: "error", text: "Could not reach the server. Try again." });
    if (!result.ok) {
      setStatus({ tone: "error", text: describeFailure(result.failure) });
      if (result.failure.retry_after) setStep({ ...step, resendAt: Date.now() + result.failure.retry_after * 1000 });
      return;
    }
    enter(step.id, result.started);
    refocusCode();
  }

  async function confirm(value: string): Promise<string | null> {
    if ((step.kind !== "code" && step.kind !== "wallet") || busy) return null;
    setBusy(true);
    setStatus({ tone: "info", text: step.kind === "wallet" ? "Checking the signature…" : "Checking the code…" });
    const result = await actions.confirmAddIdentity(step.id, value, step.kind === "wallet" ? step.challengeId : undefined).catch(() => null);
    setBusy(false);
    if (result?.ok) {
      onAdded(result.added.value);
      close(null);
      return null;
    }
    const text = result ? describeFailure(result.failure, step.kind === "wallet" ? "signature" : "code") : "Could not reach the server. Try again.";
    if (step.kind === "wallet") {
      setStatus(null);
      return text;
    }
    setStatus({ tone: "error", text });
    setCode("");
    refocusCode();
    return text;
  }

  if (step.kind === "closed") {
    return (
      <div className="mt-5">
        <button ref={openRef} type="button" className={ui.secondary} onClick={() => setStep({ kind: "identity" })}>
          Add an email, number or wallet
        </button>
        <StatusLine status={status} className="mt-2" />
      </div>
    );
  }

  return (
    <section aria-labelledby={`${ids}-title`} className="mt-5 rounded-lg border border-slate-200 bg-slate-50 p-4 dark:border-slate-700 dark:bg-slate-950/50">
      <h3 id={`${ids}-title`} className="font-semibold">
        Add a way to sign in
      </h3>
      {step.kind === "identity" ? (
        <form onSubmit={start} noValidate className="mt-3 space-y-3">
          <div className="space-y-1.5">
            <label htmlFor={`${ids}-identity`} className={ui.label}>
              Email, phone number or wallet address
            </label>
            <input
              ref={identityRef}
              id={`${ids}-identity`}
              type="text"
              inputMode={phone ? "tel" : "email"}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={identity}
              onChange={(e) => setIdentity(e.target.value)}
              aria-describedby={`${ids}-kind`}
              className={ui.input}
            />
            <p id={`${ids}-kind`} className={`${ui.hint} min-h-5`}>
              {kind ? KIND_LABELS[kind] : "We verify it before adding it, as when you sign in."}
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <button type="submit" className={ui.primary} disabled={busy || !identity.trim()}>
              {busy ? "Sending…" : wallet ? "Continue with wallet" : "Send code"}
            </button>
            <button type="button" className={ui.secondary} onClick={() => close()}>
              Cancel
            </button>
          </div>
        </form>
      ) : step.kind === "code" ? (
        <CodeStep ids={ids} step={step} code={code} busy={busy} codeRef={codeRef} onCode={setCode} onSubmit={(v) => void confirm(v)} onResend={resend} onCancel={() => close()} />
      ) : (
        <div className="mt-3 space-y-3">
          <WalletSignIn
            address={step.id}
            message={step.message}
            disabled={busy}
            onSignature={async (signature) => {
              const failed = await confirm(signature);
              if (failed) throw new Error(failed);
            }}
          />
          <button type="button" className={ui.secondary} onClick={() => close()}>
            Cancel
          </button>
        </div>
      )}
      <StatusLine status={status} className="mt-3" />
    </section>
  );
}

type CodeStepProps = {
  ids: string;
  step: Extract<Step, { kind: "code" }>;
  code: string;
  busy: boolean;
  codeRef: RefObject<HTMLInputElement | null>;
  onCode: (code: string) => void;
  onSubmit: (code: string) => void;
  onResend: (channel?: "sms" | "voice") => void;
  onCancel: () => void;
};

function CodeStep({ ids, step, code, busy, codeRef, onCode, onSubmit, onResend, onCancel }: CodeStepProps) {
  const resendIn = useCountdown(step.resendAt);
  const expiresIn = useCountdown(step.expiresAt);
  return (
    <form
      className="mt-3 space-y-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (code.length === step.codeLength) onSubmit(code);
      }}
    >
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {SENT[step.channel]} <strong className="wrap-anywhere text-slate-900 dark:text-slate-100">{step.id}</strong>.
      </p>
      <div className="space-y-1.5">
        <label htmlFor={`${ids}-code`} className={ui.label}>
          {step.codeLength}-digit code
        </label>
        <CodeField ref={codeRef} id={`${ids}-code`} value={code} length={step.codeLength} disabled={busy} describedBy={`${ids}-expiry`} onChange={onCode} onComplete={onSubmit} />
        <p id={`${ids}-expiry`} className={ui.hint}>
          {expiresIn > 0 ? `The code works for ${formatClock(expiresIn)} more.` : "This code has expired. Send a new one."}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <button type="submit" className={ui.primary} disabled={busy || code.length !== step.codeLength}>
          Verify and add
        </button>
        <button type="button" className={ui.link} disabled={busy || resendIn > 0} onClick={() => onResend(step.channel === "voice" ? "voice" : undefined)}>
          {resendIn > 0 ? `Resend code in ${resendIn} s` : "Resend code"}
        </button>
        {step.idType === "mobile_number" && step.channel !== "voice" ? (
          <button type="button" className={ui.link} disabled={busy || resendIn > 0} onClick={() => onResend("voice")}>
            Call me instead
          </button>
        ) : null}
        <button type="button" className={ui.link} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
