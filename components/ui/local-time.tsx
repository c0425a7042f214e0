"use client";

import { useSyncExternalStore } from "react";

// One shared clock for every time on the page, ticking every 30 s; 0 on the server.
let now = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    listeners.forEach((l) => l());
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function clientNow() {
  if (!now) now = Date.now();
  return now;
}

function relative(date: Date, at: number): string | null {
  const seconds = Math.round((at - date.getTime()) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return null;
}

/**
 * A time in the reader's own time zone and locale. The server renders UTC;
 * the browser swaps in local time once it runs.
 */
export function LocalTime({ iso, relativeWithinDay = false }: { iso: string; relativeWithinDay?: boolean }) {
  const at = useSyncExternalStore(subscribe, clientNow, () => 0);
  const date = new Date(iso);
  let text: string;
  if (!at) {
    text = `${iso.slice(0, 16).replace("T", " ")} UTC`;
  } else {
    const near = relativeWithinDay ? relative(date, at) : null;
    text = near ?? new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
  }
  return (
    <time dateTime={iso} title={iso}>
      {text}
    </time>
  );
}
