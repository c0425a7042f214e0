import { describe, expect, it } from "vitest";
import { captureOutput } from "@/tests/support/capture-output";
import { withRequestContext } from "@/lib/log";
import { ApiError, envelopeOf } from "./errors";
import { errorResponse } from "./respond";
import { errorBody } from "./envelope.mjs";

const output = captureOutput("info");

describe("the error envelope", () => {
  it("puts the code and sentence first, adds the fields, and lets no field replace them", () => {
    const body = errorBody("invalid_code", "Wrong.", { attempts_remaining: 2, error: "forged", skipped: undefined });
    expect(JSON.stringify(body)).toBe('{"error":"invalid_code","error_description":"Wrong.","attempts_remaining":2}');
  });

  it("carries the reason a caller branches on", async () => {
    const reply = errorResponse(new ApiError("rate_limited", "A code was sent moments ago.", { reason: "resend_cooldown", retryAfter: 12 }));
    expect(reply.status).toBe(429);
    expect(reply.headers.get("retry-after")).toBe("12");
    expect(await reply.json()).toEqual({ error: "rate_limited", error_description: "A code was sent moments ago.", reason: "resend_cooldown" });
  });

  it("a provider's failure reaches the operator's log under the request id, and never the caller", async () => {
    const cause = new Error("smtp said 550 mailbox hi@trader4.net unavailable");
    const reply = withRequestContext({ requestId: "req-delivery-1" }, () => errorResponse(new ApiError("delivery_failed", "The email could not be delivered.", { cause })));
    const body = await reply.text();
    expect(body).not.toContain("550");
    expect(JSON.parse(body)).toEqual({ error: "delivery_failed", error_description: "The email could not be delivered." });
    const lines = output.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toMatchObject([{ level: "error", msg: "request failed", request_id: "req-delivery-1", error: "delivery_failed", cause: "Error: smtp said 550 mailbox hi@trader4.net unavailable" }]);
  });

  it("sign-in answers without headers (next-auth, server actions) carry Retry-After in the body", () => {
    const error = new ApiError("too_many_attempts", "Locked.", { reason: "identity_locked", retryAfter: 600 });
    expect(envelopeOf(error, { retryAfterInBody: true })).toEqual({ error: "too_many_attempts", error_description: "Locked.", reason: "identity_locked", retry_after: 600 });
    expect(output.lines()).toEqual([]);
  });
});
