import { describe, expect, it } from "vitest";
import { ipBucket } from "./ip-bucket.mjs";

describe("the bucket a client address is rate-limited under", () => {
  it("an IPv4 address is its own bucket", () => {
    expect(ipBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(ipBucket("203.0.113.8")).toBe("203.0.113.8");
  });

  it("every address of one IPv6 /64 shares a bucket, however it is written", () => {
    const written = [
      "2001:db8:1:2:3:4:5:6",
      "2001:0DB8:0001:0002:ffff:ffff:ffff:ffff",
      "2001:db8:1:2::9",
      "2001:db8:1:2::",
      "2001:db8:1:2:0:0:0:1",
      "[2001:db8:1:2::7]",
      " 2001:db8:1:2::8 ",
      "2001:db8:1:2::1.2.3.4",
    ];
    expect(new Set(written.map((address) => ipBucket(address)))).toEqual(new Set(["2001:db8:1:2::/64"]));
  });

  it("the next /64 is another bucket", () => {
    expect(ipBucket("2001:db8:1:3::9")).toBe("2001:db8:1:3::/64");
    expect(ipBucket("2001:db8:1:3::9")).not.toBe(ipBucket("2001:db8:1:2::9"));
  });

  it("an IPv4-mapped or NAT64 IPv6 address counts as the IPv4 address inside it", () => {
    for (const mapped of ["::ffff:198.51.100.4", "::FFFF:198.51.100.4", "0:0:0:0:0:ffff:198.51.100.4", "::ffff:c633:6404", "64:ff9b::198.51.100.4"]) {
      expect(ipBucket(mapped)).toBe("198.51.100.4");
    }
    // …so it shares the bucket of the same client seen over IPv4
    expect(ipBucket("::ffff:198.51.100.4")).toBe(ipBucket("198.51.100.4"));
  });

  it("a link-local address with a zone id is bucketed without the zone", () => {
    expect(ipBucket("fe80::1%eth0")).toBe("fe80::/64");
    expect(ipBucket("fe80::2%25en0")).toBe(ipBucket("fe80::1"));
  });

  it("the prefix length is configurable, from a /32 to single addresses", () => {
    expect(ipBucket("2001:db8:1:2:3:4:5:6", 48)).toBe("2001:db8:1::/48");
    expect(ipBucket("2001:db8:1:2:3:4:5:6", 56)).toBe("2001:db8:1::/56");
    expect(ipBucket("2001:db8:1:2ff:3:4:5:6", 56)).toBe("2001:db8:1:200::/56");
    expect(ipBucket("2001:db8:1:2:3:4:5:6", 128)).toBe("2001:db8:1:2:3:4:5:6/128");
    expect(ipBucket("2001:db8:1:2::6", 128)).not.toBe(ipBucket("2001:db8:1:2::7", 128));
  });

  it("loopback and the unspecified address are ordinary IPv6 buckets", () => {
    expect(ipBucket("::1")).toBe("::/64");
    expect(ipBucket("::")).toBe("::/64");
  });

  it("anything that is not an address shares one bucket instead of minting a new one per string", () => {
    const garbage = ["", "unknown", "not an ip", "1.2.3", "1.2.3.256", "01.2.3.4", "2001:db8::g", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "[::1", `${"1".repeat(200)}::1`, "203.0.113.7, 198.51.100.1"];
    for (const input of garbage) expect(ipBucket(input)).toBe("unknown");
    expect(ipBucket(undefined)).toBe("unknown");
    expect(ipBucket(null)).toBe("unknown");
  });
});
