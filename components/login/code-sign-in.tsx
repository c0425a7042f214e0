"use client";

import { useEffect, useId, useRef, useState, useSyncExternalStore, type FormEvent, type ReactNode, type RefObject } from "react";
import { signIn } from "next-auth/react";
import { CodeField } from "@/components/ui/code-field";
import { describeFailure, envelopeFrom, networkFailure, parseEnvelope, type ErrorEnvelope } from "@/components/ui/api-error";
import { KIND_LABELS } from "@/components/ui/identity-kind";
import { useIdentityKind } from "@/components/ui/use-identity-kind";
import { useRefocus } from "@/components/ui/use-refocus";
import { ui } from "@/components/ui/styles";
import { formatClock, useCountdown } from "@/components/ui/use-countdown";
import { WalletSignIn } from "./wallet-sign-in";

type CodeChannel = "email" | "sms" | "voice";
type SignResponse =
  | { challenge_id: string; id_type: string; channel: CodeChannel; expires_in: number; resend_after: number; code_length: number }
  | { challenge_id: string; id_type: "crypto"; channel: "wallet"; message: string; expires_in: number };

type Step =
  | { kind: "identity" }
  | { kind: "code"; id: string; idType: string; channel: CodeChannel | null; codeLength: number; expiresAt: number | null; resendAt: number }
  | { kind: "wallet"; id: string; challengeId: string; message: string; expiresAt: number };

type Status = { text: string; tone: "info" | "error" | "success" };

const SENT_TO: Record<CodeChannel, string> = { email: "We emailed a code to", sms: "We texted a code to", voice: "We are calling you with a code at" };

/**
 * The Code tab of /login (SPEC §7): identity → code (or wallet signature) →
 * signed in through next-auth, which opens the portal session.
 */
const noSubscription = () => () => undefined;

export function CodeSignIn({ next, loginHint }: { next: string; loginHint?: string }) {
  // False in the server's HTML and until the page's script runs: a click before then would
  // make the browser submit the form itself and reload the page, losing where it was going.
  const scriptReady = useSyncExternalStore(noSubscription, () => true, () => false);
  const ids = useId();
  const [identity, setIdentity] = useState(loginHint ?? "");
  const [step, setStep] = useState<Step>({ kind: "identity" });
  const [code, setCode] = useState("");
  const [codeDead, setCodeDead] = useState(false);
  const [busy, setBusy] = useState<"sending" | "checking" | "done" | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [haveCodeOffer, setHaveCodeOffer] = useState(false);
  const identityRef = useRef<HTMLInputElement>(null);
  // After a refused code, focus returns to the field once it is enabled again.
  const [codeRef, refocusCode] = useRefocus<HTMLInputElement>();

  const { kind, wallet, phone } = useIdentityKind(identity);

  // Move focus with the step, so keyboard and screen-reader users land on what to do next
  // (but not on first load: a phone keyboard popping up unasked hides the page).
  const stepChanged = useRef(false);
  useEffect(() => {
    if (!stepChanged.current) {
      stepChanged.current = true;
      return;
    }
    if (step.kind === "code") codeRef.current?.focus();
    if (step.kind === "identity") identityRef.current?.select();
  }, [step.kind, codeRef]);

  useWebOtp(step.kind === "code" && step.channel === "sms", (otp) => {
    setCode(otp);
    void verify(otp);
  });

  async function send(id: string, channel?: "sms" | "voice"): Promise<SignResponse | ErrorEnvelope> {
    try {
      const response = await fetch("/v1/oauth/sign", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(channel ? { id, channel } : { id }),
      });
      if (!response.ok) return envelopeFrom(response);
      return (await response.json()) as SignResponse;
    } catch {
      return networkFailure();
    }
  }

  async function start(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const id = identity.trim();
    if (!id) {
      setStatus({ tone: "error", text: "Enter your email address, phone number or wallet address." });
      identityRef.current?.focus();
      return;
    }
    setBusy("sending");
    setHaveCodeOffer(false);
    setStatus({ tone: "info", text: wallet ? "Preparing the message to sign…" : "Sending a code…" });
    const reply = await send(id);
    setBusy(null);
    if ("error" in reply) {
      setStatus({ tone: "error", text: describeFailure(reply) });
      // A code went out moments ago (another tab, a reload): let them type it.
      if (reply.reason === "resend_cooldown") setHaveCodeOffer(true);
      identityRef.current?.focus();
      return;
    }
    enterStep(id, reply);
  }

  function enterStep(id: string, reply: SignResponse, resent = false) {
    setCode("");
    setCodeDead(false);
    const now = Date.now();
    if (reply.channel === "wallet") {
      setStep({ kind: "wallet", id, challengeId: reply.challenge_id, message: reply.message, expiresAt: now + reply.expires_in * 1000 });
      setStatus({ tone: "info", text: "Sign the message below with your wallet." });
      return;
    }
    setStep({
      kind: "code",
      id,
      idType: reply.id_type,
      channel: reply.channel,
      codeLength: reply.code_length,
      expiresAt: now + reply.expires_in * 1000,
      resendAt: now + reply.resend_after * 1000,
    });
    // The step itself says where the code went (and the field is described by it).
    setStatus(resent ? { tone: "success", text: reply.channel === "voice" ? "Calling you now with a new code." : "A new code is on its way. Earlier codes no longer work." } : null);
  }

  function enterWithoutSending() {
    const id = identity.trim();
    setHaveCodeOffer(false);
    setCode("");
    setCodeDead(false);
    setStep({ kind: "code", id, idType: kind ?? "email", channel: null, codeLength: 6, expiresAt: null, resendAt: Date.now() + 30_000 });
    setStatus(null);
  }

  async function resend(channel?: "sms" | "voice") {
    if (step.kind !== "code" || busy) return;
    setBusy("sending");
    setStatus({ tone: "info", text: channel === "voice" ? "Calling you…" : "Sending a new code…" });
    const reply = await send(step.id, channel);
    setBusy(null);
    if ("error" in reply) {
      setStatus({ tone: "error", text: describeFailure(reply) });
      if (reply.retry_after && reply.error === "rate_limited") setStep({ ...step, resendAt: Date.now() + reply.retry_after * 1000 });
      return;
    }
    enterStep(step.id, reply, true);
    refocusCode();
  }

  async function verify(value: string) {
    if (step.kind === "identity" || busy) return;
    setBusy("checking");
    setStatus({ tone: "info", text: step.kind === "wallet" ? "Checking the signature…" : "Checking the code…" });
    let failure: ErrorEnvelope | null = null;
    try {
      // A signature names its message, so nobody else's request for this address can get in its way.
      const named = step.kind === "wallet" ? { challenge_id: step.challengeId } : {};
      const result = await signIn("portal", { id: step.id, code: value, ...named, redirect: false });
      if (!result?.ok || result.error) failure = parseEnvelope(result?.error);
    } catch {
      failure = networkFailure();
    }
    if (!failure) {
      setBusy("done");
      setStatus({ tone: "success", text: "Signed in. Taking you on…" });
      window.location.assign(next);
      return;
    }
    setBusy(null);
    if (step.kind === "wallet") {
      // The wallet form shows a rejected signature next to itself.
      setStatus(null);
      throw new Error(describeFailure(failure, "signature"));
    }
    setStatus({ tone: "error", text: describeFailure(failure) });
    const dead =
      failure.error === "expired_code" ||
      (failure.error === "too_many_attempts" && failure.reason !== "identity_locked") ||
      (failure.error === "invalid_code" && failure.attempts_remaining === 0);
    setCodeDead(dead);
    setCode("");
    refocusCode();
  }

  function useAnother() {
    setStep({ kind: "identity" });
    setCode("");
    setStatus(null);
  }

  const statusId = `${ids}-status`;
  // Right under the field it is about; each step has its own, present from the step's start.
  const statusLine = (
    <p
      id={statusId}
      role="status"
      aria-live="polite"
      className={`text-sm ${status ? "pt-1" : ""} ${status?.tone === "error" ? "font-medium text-red-700 dark:text-red-300" : status?.tone === "success" ? "font-medium text-green-800 dark:text-green-300" : "text-slate-700 dark:text-slate-300"}`}
    >
      {status?.text}
    </p>
  );

  return (
    <div>
      {step.kind === "identity" ? (
        <form onSubmit={start} noValidate className="space-y-4">
          <div className="space-y-1.5">
            <label htmlFor={`${ids}-identity`} className={ui.label}>
              Email, phone number or wallet address
            </label>
            <input
              ref={identityRef}
              id={`${ids}-identity`}
              name="identity"
              type="text"
              inputMode={phone ? "tel" : "email"}
              autoComplete="username"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              placeholder="you@example.com or +44 7700 900123"
              value={identity}
              onChange={(e) => {
                setIdentity(e.target.value);
                setHaveCodeOffer(false);
              }}
              aria-describedby={`${ids}-kind ${statusId}`}
              className={ui.input}
            />
            <p id={`${ids}-kind`} className={ui.hint} data-testid="identity-kind">
              {kind ? KIND_LABELS[kind] : "No password needed: we send you a one-time code."}
            </p>
            {statusLine}
          </div>
          <button type="submit" className={`${ui.primary} w-full`} disabled={busy !== null || !scriptReady}>
            {busy === "sending" ? "Sending…" : wallet ? "Continue with wallet" : "Send code"}
          </button>
          {haveCodeOffer ? (
            <button type="button" className={ui.link} onClick={enterWithoutSending}>
              I already have a code
            </button>
          ) : null}
        </form>
      ) : step.kind === "code" ? (
        <CodeStep
          ids={ids}
          step={step}
          code={code}
          codeDead={codeDead}
          busy={busy}
          codeRef={codeRef}
          statusId={statusId}
          statusLine={statusLine}
          onCode={setCode}
          onSubmit={(value) => void verify(value)}
          onResend={(channel) => void resend(channel)}
          onUseAnother={useAnother}
        />
      ) : (
        <div className="space-y-4">
          <p className={ui.hint}>
            Signing in as <strong className="wrap-anywhere font-mono text-slate-900 dark:text-slate-100">{step.id}</strong>
          </p>
          <WalletSignIn address={step.id} message={step.message} onSignature={(signature) => verify(signature)} disabled={busy !== null} />
          {statusLine}
          <button type="button" className={ui.link} onClick={useAnother}>
            Use another identity
          </button>
        </div>
      )}
    </div>
  );
}

type CodeStepProps = {
  ids: string;
  step: Extract<Step, { kind: "code" }>;
  code: string;
  codeDead: boolean;
  busy: "sending" | "checking" | "done" | null;
  codeRef: RefObject<HTMLInputElement | null>;
  statusId: string;
  statusLine: ReactNode;
  onCode: (code: string) => void;
  onSubmit: (code: string) => void;
  onResend: (channel?: "sms" | "voice") => void;
  onUseAnother: () => void;
};

function CodeStep({ ids, step, code, codeDead, busy, codeRef, statusId, statusLine, onCode, onSubmit, onResend, onUseAnother }: CodeStepProps) {
  const resendIn = useCountdown(step.resendAt);
  const expiresIn = useCountdown(step.expiresAt);
  const expired = step.expiresAt !== null && expiresIn === 0;
  const mobile = step.idType === "mobile_number";
  const waiting = resendIn > 0;
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (code.length === step.codeLength) onSubmit(code);
      }}
    >
      <p id={`${ids}-sent`} className="text-sm text-slate-700 dark:text-slate-300">
        {step.channel ? SENT_TO[step.channel] : "Enter the code sent to"}{" "}
        <strong className="wrap-anywhere text-slate-900 dark:text-slate-100">{step.id}</strong>.
      </p>
      <div className="space-y-1.5">
        <label htmlFor={`${ids}-code`} className={ui.label}>
          {step.codeLength}-digit code
        </label>
        <CodeField
          ref={codeRef}
          id={`${ids}-code`}
          value={code}
          length={step.codeLength}
          disabled={busy !== null}
          describedBy={`${ids}-sent ${ids}-expiry ${statusId}`}
          onChange={onCode}
          onComplete={onSubmit}
        />
        <p id={`${ids}-expiry`} className={ui.hint}>
          {step.expiresAt === null
            ? "Codes work for 5 minutes."
            : expired || codeDead
              ? "This code no longer works. Send a new one."
              : `The code works for ${formatClock(expiresIn)} more. Paste it or type it.`}
        </p>
        {statusLine}
      </div>
      <button type="submit" className={`${ui.primary} w-full`} disabled={busy !== null || code.length !== step.codeLength}>
        {busy === "checking" || busy === "done" ? "Checking…" : "Sign in"}
      </button>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          <button type="button" className={ui.link} disabled={waiting || busy !== null} onClick={() => onResend(step.channel === "voice" ? "voice" : undefined)}>
            {waiting ? `Resend code in ${resendIn} s` : "Resend code"}
          </button>
          {mobile && step.channel !== "voice" ? (
            <button type="button" className={ui.link} disabled={waiting || busy !== null} onClick={() => onResend("voice")}>
              Call me instead
            </button>
          ) : null}
        </div>
        <button type="button" className={ui.link} onClick={onUseAnother} disabled={busy === "done"}>
          Use another identity
        </button>
      </div>
    </form>
  );
}

type OtpCredential = Credential & { code: string };

/** Android Chrome's WebOTP: reads the code from the SMS (its last line is `@host #code`) once the user agrees. */
function useWebOtp(enabled: boolean, onCode: (code: string) => void) {
  const callback = useRef(onCode);
  useEffect(() => {
    callback.current = onCode;
  });
  useEffect(() => {
    if (!enabled || typeof window === "undefined" || !("OTPCredential" in window)) return;
    const abort = new AbortController();
    navigator.credentials
      .get({ otp: { transport: ["sms"] }, signal: abort.signal } as CredentialRequestOptions)
      .then((credential) => {
        const code = (credential as OtpCredential | null)?.code;
        if (code) callback.current(code);
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [enabled]);
}
