import { describe, expect, it } from "vitest";
import { describeEvent, parseDetail } from "./describe-event";

describe("account activity wording", () => {
  it("says how someone signed in", () => {
    expect(describeEvent({ type: "sign_in", subject: "a@b.co", detail: { via: "code", new_user: true } })).toBe("Created the account with a code sent to a@b.co");
    expect(describeEvent({ type: "sign_in", subject: "a@b.co", detail: { via: "code", new_user: false } })).toBe("Signed in with a code sent to a@b.co");
    expect(describeEvent({ type: "sign_in", subject: "0xAbC", detail: { via: "wallet" } })).toBe("Signed in with a signature from 0xAbC");
  });

  it("names the channel a code went out on and the app a consent was for", () => {
    expect(describeEvent({ type: "code_sent", subject: "+447911123456", detail: { channel: "voice" } })).toBe("A code was sent to +447911123456 by phone call");
    expect(describeEvent({ type: "oidc_consent_granted", subject: null, detail: { client_name: "Acme" } })).toBe("Allowed Acme to use your account");
  });

  it("turns lock durations into minutes and counts ended sessions", () => {
    expect(describeEvent({ type: "identity_locked", subject: "a@b.co", detail: { seconds: 3540 } })).toBe("a@b.co was locked for 59 minutes after too many wrong codes");
    expect(describeEvent({ type: "signed_out_everywhere", subject: null, detail: { sessions: 1 } })).toBe("Signed out everywhere (1 session ended)");
  });

  it("has a sentence for every unknown or malformed event", () => {
    expect(describeEvent({ type: "something_new", subject: null, detail: {} })).toBe("Account activity");
    expect(parseDetail("not json")).toEqual({});
    expect(parseDetail("[1]")).toEqual({});
  });
});
