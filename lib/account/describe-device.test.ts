import { describe, expect, it } from "vitest";
import { describeDevice } from "./describe-device";

describe("device names on the session list", () => {
  it("names browser and system", () => {
    expect(describeDevice("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15")).toEqual({ label: "Safari on macOS", kind: "desktop" });
    expect(describeDevice("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36")).toMatchObject({ label: "Mobile Chrome on Android (Google Pixel 8)", kind: "mobile" });
  });

  it("falls back to the first word for API clients and to 'Unknown device' for nothing", () => {
    expect(describeDevice("curl/8.5.0")).toEqual({ label: "curl/8.5.0", kind: "unknown" });
    expect(describeDevice(null)).toEqual({ label: "Unknown device", kind: "unknown" });
  });
});
