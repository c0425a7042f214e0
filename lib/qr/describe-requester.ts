import { BlockList, isIP } from "node:net";
import { UAParser } from "ua-parser-js";

export type Requester = { browser: string; os: string; location: string };

const local = new BlockList();
for (const [net, bits] of [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["127.0.0.0", 8], ["169.254.0.0", 16], ["100.64.0.0", 10]] as const) {
  local.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [["::1", 128], ["fc00::", 7], ["fe80::", 10]] as const) local.addSubnet(net, bits, "ipv6");

/**
 * What the approving phone is shown about the screen that asked to sign in.
 * No geo-IP database ships with the portal, so a public address is honestly
 * "Unknown location" rather than a guess.
 */
export function describeRequester(input: { ip: string; userAgent?: string }): Requester {
  const { browser, os } = UAParser(input.userAgent ?? "");
  return {
    browser: browser.name ? [browser.name, browser.major].filter(Boolean).join(" ") : "Unknown browser",
    os: os.name ? [os.name, os.version].filter(Boolean).join(" ") : "Unknown operating system",
    location: describeLocation(input.ip),
  };
}

export function describeLocation(ip: string): string {
  const type = isIP(ip);
  if (type === 0) return "Unknown location";
  const plain = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(plain) === 6 ? "ipv6" : "ipv4";
  return local.check(plain, family) ? "Local network" : "Unknown location";
}
