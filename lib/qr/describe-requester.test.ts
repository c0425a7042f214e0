import { describe, expect, it } from "vitest";
import { describeLocation, describeRequester } from "./describe-requester";

describe("what the phone is told about the screen asking to sign in", () => {
  it("names the browser with its major version and the operating system", () => {
    const ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
    expect(describeRequester({ ip: "203.0.113.9", userAgent: ua })).toEqual({ browser: "Safari 17", os: "macOS 10.15.7", location: "Unknown location" });
  });

  it("says so when the user agent tells nothing", () => {
    expect(describeRequester({ ip: "unknown", userAgent: "curl/8.0" })).toEqual({ browser: "Unknown browser", os: "Unknown operating system", location: "Unknown location" });
  });

  it("calls private and loopback addresses the local network, and never guesses a place for a public one", () => {
    for (const ip of ["127.0.0.1", "10.1.2.3", "172.20.0.5", "192.168.1.10", "::1", "fd12::1", "::ffff:192.168.0.2"]) expect(describeLocation(ip)).toBe("Local network");
    for (const ip of ["8.8.8.8", "2001:4860:4860::8888", "172.32.0.1", "not-an-ip"]) expect(describeLocation(ip)).toBe("Unknown location");
  });
});
