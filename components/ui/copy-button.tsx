"use client";

import { useState } from "react";
import { ui } from "./styles";

/** Copies `text` to the clipboard and says so (to screen readers too). */
export function CopyButton({ text, label = "Copy", className = ui.secondary }: { text: string; label?: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={className} onClick={copy}>
        {label}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-slate-600 dark:text-slate-300">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed — select it instead" : ""}
      </span>
    </span>
  );
}
