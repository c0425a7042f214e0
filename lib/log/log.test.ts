import { describe, expect, it, vi } from "vitest";
import { captureOutput } from "@/tests/support/capture-output";

const output = captureOutput("debug");

const lines = () => output.lines().map((line) => JSON.parse(line) as Record<string, unknown>);

describe("the log", () => {
  it("a line written while serving a request carries that request's id, also after awaits", async () => {
    const { log, withRequestContext } = await import("./log.mjs");
    await withRequestContext({ requestId: "req-one-1234" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log("info", "inside");
    });
    log("info", "outside");
    expect(lines()).toMatchObject([{ msg: "inside", request_id: "req-one-1234" }, { msg: "outside" }]);
    expect(lines()[1]).not.toHaveProperty("request_id");
  });

  it("two requests served at once each keep their own id", async () => {
    const { log, withRequestContext } = await import("./log.mjs");
    const serve = (requestId: string, ms: number) =>
      withRequestContext({ requestId }, async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        log("info", requestId);
      });
    await Promise.all([serve("req-slow-1234", 20), serve("req-fast-1234", 1)]);
    expect(lines().map((l) => [l.msg, l.request_id])).toEqual([
      ["req-fast-1234", "req-fast-1234"],
      ["req-slow-1234", "req-slow-1234"],
    ]);
  });

  it("a second copy of the logger module (as Next's bundles make) sees the request the first one opened", async () => {
    const first = await import("./log.mjs");
    vi.resetModules();
    const second = await import("./log.mjs");
    expect(second).not.toBe(first);
    first.withRequestContext({ requestId: "req-shared-1234" }, () => second.log("warn", "from the bundle"));
    expect(lines()).toMatchObject([{ msg: "from the bundle", level: "warn", request_id: "req-shared-1234" }]);
  });

  it("an operator sees process start and stop at any level but silent, and no request lines at warn", async () => {
    const { log, logLifecycle } = await import("./log.mjs");
    process.env.LOG_LEVEL = "warn";
    log("info", "request");
    logLifecycle("info", "listening");
    process.env.LOG_LEVEL = "silent";
    logLifecycle("info", "stopped");
    expect(lines().map((l) => l.msg)).toEqual(["listening"]);
  });

  it("QR tokens are masked wherever a path or an error text is logged", async () => {
    const { describeError, redact } = await import("./log.mjs");
    expect(redact("/qr/wrfq0Yb9dM1dW2p5cQJQeJm7xA/approve")).toBe("/qr/wrf…/approve");
    expect(describeError(new TypeError("bad wrfq0Yb9dM1dW2p5cQJQeJm7xA"))).toBe("TypeError: bad wrf…");
  });
});
