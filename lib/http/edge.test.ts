import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, bodyLimit, jsonDepth } from "./edge.mjs";

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("the edge's JSON depth count", () => {
  it("counts nested arrays and objects", () => {
    expect(jsonDepth(bytes('{"id":"a@b.c"}'))).toBe(1);
    expect(jsonDepth(bytes('{"a":[{"b":[1,2]}]}'))).toBe(4);
    expect(jsonDepth(bytes("1"))).toBe(0);
  });

  it("ignores brackets inside strings, escaped quotes included", () => {
    expect(jsonDepth(bytes('{"code":"[[[[{{{{"}'))).toBe(1);
    expect(jsonDepth(bytes('{"a":"\\"[[[[","b":[]}'))).toBe(2);
  });

  it("stops counting a few million brackets once past the limit", () => {
    const attack = bytes("[".repeat(2_000_000));
    expect(jsonDepth(attack)).toBe(MAX_JSON_DEPTH + 1);
  });
});

describe("the edge's body caps", () => {
  it("gives the API and next-auth 16 KiB and nothing more than 64 KiB", () => {
    expect(bodyLimit("/v1/oauth/sign")).toBe(16 * 1024);
    expect(bodyLimit("/api/auth/callback/portal")).toBe(16 * 1024);
    expect(bodyLimit("/api/oidc/token")).toBe(64 * 1024);
    expect(bodyLimit("/account")).toBe(64 * 1024);
  });
});
