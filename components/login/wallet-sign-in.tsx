"use client";

import { useEffect, useId, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import { ui } from "@/components/ui/styles";

type Props = { address: string; message: string; onSignature: (signature: string) => Promise<void>; disabled?: boolean };

/** The slice of EIP-1193 this form uses. */
type BrowserWallet = { request: (args: { method: string; params?: unknown[] }) => Promise<unknown> };
/** What the user just did decides where its outcome is shown: next to that control. */
type Status = { from: "copy" | "wallet" | "paste"; tone: "info" | "error"; text: string } | null;

function browserWallet(): BrowserWallet | undefined {
  const candidate: unknown = Reflect.get(window, "ethereum");
  if (typeof candidate === "object" && candidate !== null && "request" in candidate && typeof candidate.request === "function") {
    return candidate as BrowserWallet;
  }
  return undefined;
}

// Some wallets inject `window.ethereum` after the page has loaded and announce it with this event.
function subscribeToWallet(onChange: () => void) {
  window.addEventListener("ethereum#initialized", onChange);
  return () => window.removeEventListener("ethereum#initialized", onChange);
}

/** personal_sign takes the message as hex-encoded UTF-8 bytes. */
function toHex(text: string): string {
  return `0x${Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

function walletErrorText(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  // EIP-1193: 4001 user rejected, 4100 unauthorised; -32002: a request is already open in the wallet.
  if (code === 4001) return "You declined in your wallet, so nothing was signed. Try again when you are ready.";
  if (code === -32002) return "Your wallet already has a request open. Finish or close it in the wallet, then try again.";
  if (code === 4100) return "Your wallet did not let this page see your account. Unlock it or connect this site, then try again.";
  return "Your wallet could not sign the message. Try again, or sign it elsewhere and paste the signature below.";
}

/** A polite status line and an alert, always mounted so screen readers announce what appears in them. */
function StatusLines({ status, from }: { status: Status; from: NonNullable<Status>["from"] }) {
  const mine = status?.from === from ? status : null;
  return (
    <div className="text-sm">
      <p role="status" aria-live="polite" className="text-slate-700 dark:text-slate-300">
        {mine?.tone === "info" ? mine.text : ""}
      </p>
      <p role="alert" className={ui.error}>
        {mine?.tone === "error" ? mine.text : ""}
      </p>
    </div>
  );
}

/**
 * The wallet step of the code form (SPEC §5, §7): shows the exact message to
 * sign, signs it with a browser wallet when there is one (Ethereum only), and
 * always takes a signature pasted from elsewhere (hardware wallet, Sparrow,
 * Electrum). `onSignature` performs the sign-in; if it rejects, its message is
 * shown next to the control that produced the signature.
 */
export function WalletSignIn({ address, message, onSignature, disabled = false }: Props) {
  const ids = useId();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const messageRef = useRef<HTMLPreElement>(null);
  const [pasted, setPasted] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [copied, setCopied] = useState(false);
  const expected = address.trim();
  const isEthereum = /^0x/i.test(expected);
  const hasBrowserWallet = useSyncExternalStore(subscribeToWallet, () => browserWallet() !== undefined, () => false);
  const offerBrowserWallet = isEthereum && hasBrowserWallet;
  const locked = disabled || busy;

  // The form this replaces had focus; start keyboard and screen-reader users at the top of this step.
  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  async function submit(signature: string, from: "wallet" | "paste") {
    setStatus(null);
    try {
      await onSignature(signature);
    } catch (error) {
      setStatus({ from, tone: "error", text: error instanceof Error && error.message ? error.message : "The signature was not accepted." });
    }
  }

  /** Asks the browser wallet for a signature; null, with the reason shown, when there is none to send. */
  async function requestSignature(wallet: BrowserWallet): Promise<string | null> {
    const say = (tone: "info" | "error", text: string) => setStatus({ from: "wallet", tone, text });
    say("info", "Waiting for your wallet. Check its window to continue.");
    try {
      const accounts = await wallet.request({ method: "eth_requestAccounts" });
      const selected = Array.isArray(accounts) && typeof accounts[0] === "string" ? accounts[0] : "";
      if (!selected) {
        say("error", "Your wallet did not share an account. Unlock it, then try again.");
        return null;
      }
      if (selected.toLowerCase() !== expected.toLowerCase()) {
        say("error", `Your wallet is using account ${shortAddress(selected)}, not ${shortAddress(expected)}. Switch accounts in your wallet, then try again.`);
        return null;
      }
      say("info", "Confirm the signature in your wallet.");
      const signature = await wallet.request({ method: "personal_sign", params: [toHex(message), selected] });
      if (typeof signature === "string") return signature;
      say("error", walletErrorText(null));
    } catch (error) {
      say("error", walletErrorText(error));
    }
    return null;
  }

  async function signWithBrowserWallet() {
    const wallet = browserWallet();
    if (!wallet || locked) return;
    setBusy(true);
    try {
      const signature = await requestSignature(wallet);
      if (signature) await submit(signature, "wallet");
    } finally {
      setBusy(false);
    }
  }

  async function onPaste(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const signature = pasted.trim();
    if (!signature || locked) return;
    setBusy(true);
    try {
      await submit(signature, "paste");
    } finally {
      setBusy(false);
    }
  }

  async function copyMessage() {
    try {
      await navigator.clipboard.writeText(message);
      setCopied(true);
      setStatus({ from: "copy", tone: "info", text: "Message copied." });
    } catch {
      // No clipboard access (e.g. plain http on another host): select it so the user can copy by hand.
      const node = messageRef.current;
      const selection = window.getSelection();
      if (node && selection) {
        const range = document.createRange();
        range.selectNodeContents(node);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setStatus({ from: "copy", tone: "info", text: "The message is selected: press Ctrl+C (⌘C on a Mac) to copy it." });
    }
  }

  const messageId = `${ids}-message`;
  const pasteId = `${ids}-paste`;
  const pasteHintId = `${ids}-paste-hint`;

  return (
    <section aria-labelledby={`${ids}-title`} className="flex flex-col gap-4">
      <div>
        <h2 id={`${ids}-title`} ref={titleRef} tabIndex={-1} className="text-base font-semibold">
          Sign with your wallet
        </h2>
        <p className={`mt-1 ${ui.hint}`}>Your wallet signs this message to prove the address is yours. It is free and sends no transaction.</p>
      </div>

      <div className="flex flex-col gap-1.5">
        <div className="flex items-center justify-between gap-2">
          <span id={messageId} className={ui.label}>
            Message to sign
          </span>
          <button type="button" onClick={copyMessage} className={`${ui.secondary} px-3 py-1.5`}>
            {copied ? "Copied" : "Copy message"}
          </button>
        </div>
        <pre
          ref={messageRef}
          tabIndex={0}
          aria-labelledby={messageId}
          className="max-h-80 overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-slate-800 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-200"
        >
          {message}
        </pre>
        <StatusLines status={status} from="copy" />
      </div>

      {offerBrowserWallet ? (
        <div className="flex flex-col gap-2">
          <button type="button" onClick={signWithBrowserWallet} disabled={locked} className={`${ui.primary} w-full`}>
            Sign with wallet
          </button>
          <StatusLines status={status} from="wallet" />
        </div>
      ) : null}

      <form onSubmit={onPaste} className="flex flex-col gap-2">
        <label htmlFor={pasteId} className={ui.label}>
          {offerBrowserWallet ? "Or paste a signature made elsewhere" : "Paste the signature"}
        </label>
        <p id={pasteHintId} className={ui.hint}>
          {!isEthereum
            ? "In Sparrow or Electrum use Tools → Sign/Verify Message with this address, paste the message exactly as shown, and copy the signature (BIP-322 or the classic base64 format)."
            : offerBrowserWallet
              ? "Signed on a hardware wallet or another device? Sign the message exactly as shown with this address (personal_sign) and paste the 0x… signature."
              : "No browser wallet found on this page. Sign the message exactly as shown with this address in your wallet app (personal_sign) and paste the 0x… signature."}
        </p>
        <textarea
          id={pasteId}
          aria-describedby={pasteHintId}
          value={pasted}
          onChange={(event) => setPasted(event.target.value)}
          rows={4}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          disabled={locked}
          className={`${ui.input} resize-y font-mono break-all disabled:opacity-60`}
        />
        <button type="submit" disabled={locked || !pasted.trim()} className={`${offerBrowserWallet ? ui.secondary : ui.primary} w-full`}>
          Sign in with this signature
        </button>
        <StatusLines status={status} from="paste" />
      </form>
    </section>
  );
}
