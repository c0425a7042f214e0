"use client";

import { useSyncExternalStore } from "react";

// One shared one-second ticker for every countdown on the page.
const listeners = new Set<() => void>();
let ticker: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  ticker ??= setInterval(() => listeners.forEach((l) => l()), 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
}

/** The current time in whole seconds, or null while rendering on the server (so markup never mismatches). */
export function useClock(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => Math.floor(Date.now() / 1000),
    () => null,
  );
}

/** Seconds until `deadline` (epoch ms), or null until the page runs in the browser. */
export function useSecondsLeft(deadline: number | undefined): number | null {
  const clock = useClock();
  if (clock === null || deadline === undefined) return null;
  return Math.max(0, Math.floor(deadline / 1000 - clock));
}

export function formatDuration(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
