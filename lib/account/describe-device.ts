import { UAParser } from "ua-parser-js";

export type Device = { label: string; kind: "mobile" | "tablet" | "desktop" | "unknown" };

/** "Chrome on macOS" from a User-Agent string, for people reading their session list. */
export function describeDevice(userAgent: string | null | undefined): Device {
  if (!userAgent) return { label: "Unknown device", kind: "unknown" };
  const { browser, os, device } = UAParser(userAgent);
  const kind = device.type === "mobile" ? "mobile" : device.type === "tablet" ? "tablet" : browser.name || os.name ? "desktop" : "unknown";
  if (!browser.name && !os.name) return { label: shortAgent(userAgent), kind };
  const model = device.model && device.type ? ` (${device.vendor ? `${device.vendor} ` : ""}${device.model})` : "";
  const label = browser.name && os.name ? `${browser.name} on ${os.name}${model}` : (browser.name ?? os.name ?? "Unknown device");
  return { label, kind };
}

// API clients (curl, SDKs) send agents ua-parser does not know; show their first word.
function shortAgent(userAgent: string): string {
  const first = userAgent.split(/[\s;(]/)[0]?.slice(0, 40);
  return first || "Unknown device";
}
