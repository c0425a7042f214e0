import { describe, expect, it } from "vitest";
import { amrFor, needsFreshSignIn } from "./sign-in-freshness";

const iat = 1_800_000_000;
const at = (seconds: number) => new Date((iat + seconds) * 1000);
const request = (reasons: string[], params: Record<string, unknown> = {}) => ({ iat, prompt: { name: "login", reasons, details: {} }, params });

describe("whether an app's request needs a new sign-in", () => {
  it("prompt=login needs a sign-in made after the request, not one from before", () => {
    expect(needsFreshSignIn(request(["login_prompt"]), at(-600), at(5))).toBe(true);
    expect(needsFreshSignIn(request(["login_prompt"]), at(0), at(5))).toBe(true);
    expect(needsFreshSignIn(request(["login_prompt"]), at(3), at(5))).toBe(false);
  });

  it("max_age accepts a sign-in that young, and refuses an older one", () => {
    expect(needsFreshSignIn(request(["max_age"], { max_age: 3600 }), at(-600), at(1))).toBe(false);
    expect(needsFreshSignIn(request(["max_age"], { max_age: "60" }), at(-600), at(1))).toBe(true);
  });

  it("max_age=0 is satisfied by signing in during the request, so it cannot loop", () => {
    expect(needsFreshSignIn(request(["max_age"], { max_age: 0 }), at(-1), at(1))).toBe(true);
    expect(needsFreshSignIn(request(["max_age"], { max_age: 0 }), at(2), at(4))).toBe(false);
  });

  it("a plain request is satisfied by any live sign-in", () => {
    expect(needsFreshSignIn(request(["no_session"]), at(-86_400), at(1))).toBe(false);
  });

  it("names how the portal session was opened in RFC 8176 terms", () => {
    expect(amrFor("code")).toEqual(["otp"]);
    expect(amrFor("wallet")).toEqual(["swk"]);
    expect(amrFor("qr")).toEqual(["mca"]);
  });
});
