// Plain JavaScript so that server.mts can count connections under the same
// buckets as the rate limits (lib/ratelimit/limits.ts) without a build step.
import { isIP } from "node:net";

/** What every address that is not one (missing, "unknown", garbage) counts under: one shared bucket, never one per string. */
export const UNKNOWN_BUCKET = "unknown";

/**
 * The bucket a client address is counted under by per-IP limits: an IPv4
 * address as it is; an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d)
 * IPv6 address as the IPv4 address inside it; any other IPv6 address by its
 * first `ipv6PrefixBits` bits, written `prefix/bits` — one subscriber is
 * usually given a whole /64, so counting single IPv6 addresses would give them
 * 2^64 buckets. Zone ids (`%eth0`) and brackets are dropped.
 */
export function ipBucket(address, ipv6PrefixBits = 64) {
  let text = typeof address === "string" ? address.trim() : "";
  if (text.length > 100) return UNKNOWN_BUCKET;
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4) return text;
  if (family !== 6) return UNKNOWN_BUCKET;
  const words = ipv6Words(text.toLowerCase());
  const embedsIpv4 =
    (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) ||
    (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0));
  if (embedsIpv4) return [words[6] >> 8, words[6] & 0xff, words[7] >> 8, words[7] & 0xff].join(".");
  const bits = Math.max(0, Math.min(128, Math.floor(Number(ipv6PrefixBits)) || 0));
  const masked = words.map((word, i) => {
    const kept = Math.max(0, Math.min(16, bits - i * 16));
    return kept === 0 ? 0 : word & ((0xffff << (16 - kept)) & 0xffff);
  });
  return `${formatIpv6(masked)}/${bits}`;
}

/** The eight 16-bit words of an address `isIP` accepted as IPv6 (compressed `::` and a dotted IPv4 tail included). */
function ipv6Words(text) {
  let hex = text;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hex);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    hex = `${hex.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = hex.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((word) => parseInt(word, 16));
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero words as `::`. */
function formatIpv6(words) {
  let start = -1;
  let length = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > length && j - i >= 2) [start, length] = [i, j - i];
    i = j;
  }
  const hex = words.map((word) => word.toString(16));
  if (start < 0) return hex.join(":");
  return `${hex.slice(0, start).join(":")}::${hex.slice(start + length).join(":")}`;
}
