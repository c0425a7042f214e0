import { describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { redirectPath, redirectUrl, safeRedirect } from "./safe-redirect";

// Values people have used to leave a site through a "next" parameter. Each is shown as
// the server receives it (query parameters already decoded once).
const BYPASSES: [string, unknown][] = [
  ["protocol-relative", "//x"],
  ["slash backslash", "/\\x"],
  ["two backslashes", "\\\\x"],
  ["one backslash", "\\x"],
  ["encoded tab between slashes", "/%09/x"],
  ["encoded backslash", "/%5cx"],
  ["encoded backslash, upper case", "/%5Cx"],
  ["encoded double slash", "/%2f%2fx"],
  ["encoded second slash", "/%2fx"],
  ["double-encoded tab", "/%2509/x"],
  ["scheme without slashes", "https:x"],
  ["absolute URL", "https://evil.com"],
  ["javascript URL", "javascript:alert(1)"],
  ["javascript URL, mixed case", "JaVaScRiPt:alert(1)"],
  ["data URL", "data:text/html,<script>alert(1)</script>"],
  ["bare data:", "data:"],
  ["leading tab", "\t//x"],
  ["tab between slashes", "/\t/x"],
  ["newline between slashes", "/\n/x"],
  ["CR LF", "\r\n"],
  ["header injection", "/\r\nSet-Cookie: x=1"],
  ["encoded header injection", "/%0d%0aSet-Cookie:x"],
  ["encoded NUL", "/x%00"],
  ["NUL", "/x\u0000"],
  ["DEL", "/x\u007f"],
  ["C1 control", "/x\u0085"],
  ["no-break space", "/\u00a0/x"],
  ["zero-width space", "/\u200b/evil.com"],
  ["ideographic full stop host", "//evil\u3002com"],
  ["ideographic full stop segment", "/\u3002/evil.com"],
  ["encoded ideographic full stop", "//evil%E3%80%82com"],
  ["encoded ideographic full stop in path", "/%E3%80%82/evil.com"],
  ["fullwidth full stop", "/\uff0e/evil.com"],
  ["fullwidth solidus", "/\uff0f/evil.com"],
  ["fullwidth solidus, encoded", "/%EF%BC%8F/evil.com"],
  ["fullwidth reverse solidus", "/\uff3cevil.com"],
  ["at-sign host", "@evil.com"],
  ["userinfo", "//user@evil.com"],
  ["our origin as userinfo", "http://localhost:3000@evil.com"],
  ["three slashes", "///evil.com"],
  ["dot segment to double slash", "/.//evil.com"],
  ["dot-dot segment to double slash", "/..//evil.com"],
  ["encoded dot-dot segment to double slash", "/%2e%2e//evil.com"],
  ["malformed percent encoding", "/%E3%80"],
  ["empty", ""],
  ["relative path", "account"],
  ["space", "/ /evil.com"],
  ["non-ASCII", "/caf\u00e9"],
  ["array", ["/account", "//evil.com"]],
  ["array of one good path", ["/account"]],
  ["number", 42],
  ["undefined", undefined],
  ["null", null],
  ["object", { toString: () => "/account" }],
  ["very long", `/${"a".repeat(2048)}`],
];

const GOOD: [string, string][] = [
  ["/account", "/account"],
  ["/account?tab=1#x", "/account?tab=1#x"],
  ["/oidc/interaction/abc", "/oidc/interaction/abc"],
  ["/@evil.com", "/@evil.com"],
  ["/qr/abc-DEF_123", "/qr/abc-DEF_123"],
  ["/login?next=%2Faccount&interaction=abc", "/login?next=%2Faccount&interaction=abc"],
  ["/docs/%C3%A9", "/docs/%C3%A9"],
  ["/a/./b/../c", "/a/c"],
  ["/", "/"],
];

describe("redirect targets", () => {
  it.each(BYPASSES)("refuses %s", (_name, value) => {
    expect(redirectPath(value)).toBeNull();
    expect(safeRedirect(value)).toBe("/account");
    expect(safeRedirect(value, "/")).toBe("/");
  });

  it.each(GOOD)("keeps %s on the portal", (value, path) => {
    expect(redirectPath(value)).toBe(path);
    expect(new URL(path, config().PUBLIC_URL).origin).toBe(config().publicOrigin);
  });

  it("answers what URL made of the value, never the string given", () => {
    expect(safeRedirect("/account?q=<script>")).toBe("/account?q=%3Cscript%3E");
  });

  it("accepts paths up to 2048 characters", () => {
    const path = `/${"a".repeat(2047)}`;
    expect(safeRedirect(path)).toBe(path);
  });

  it("never answers something a browser would take off the portal", () => {
    for (const [, value] of BYPASSES) {
      const target = new URL(safeRedirect(value, "/fallback"), config().PUBLIC_URL);
      expect(target.origin).toBe(config().publicOrigin);
    }
  });
});

describe("absolute callback URLs (next-auth, oidc-provider)", () => {
  const origin = config().publicOrigin;

  it("keeps a URL on the portal's origin, as an absolute URL", () => {
    expect(redirectUrl(`${origin}/account?x=1`)).toBe(`${origin}/account?x=1`);
    expect(redirectUrl(origin)).toBe(`${origin}/`);
    expect(redirectUrl("/login")).toBe(`${origin}/login`);
  });

  it.each([
    ["another origin", "https://evil.com/account"],
    ["our origin as a prefix of another host", `${origin}.evil.com/`],
    ["our origin with userinfo", `${origin}@evil.com/`],
    ["another port", origin.replace(/:\d+$/, "") + ":4000/account"],
    ["our origin then a double slash", `${origin}//evil.com`],
    ["our origin then an encoded tab", `${origin}/%09/evil.com`],
    ["a bypass from the corpus", "/%2f%2fx"],
    ["not a string", ["/account"]],
  ])("refuses %s", (_name, value) => {
    expect(redirectUrl(value)).toBeNull();
  });
});
