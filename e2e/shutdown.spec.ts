import { expect, test } from "@playwright/test";
import { startPortal } from "./support/portal";

test("on SIGTERM a held long poll is answered with a retryable 503 and the process exits within 10 s", async () => {
  const portal = await startPortal({ LOG_LEVEL: "info" });
  const started = (await (await fetch(`${portal.url}/v1/oauth/qr`)).json()) as { qr_token: string; poll_token: string };
  const held = fetch(`${portal.url}/v1/oauth/qr`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ qr_token: started.qr_token, poll_token: started.poll_token, wait: 25 }),
  });
  // A request made after the poll's has been answered, so the poll's connection was accepted first;
  // whether the poll is already held or arrives during shutdown, it must get the same retryable answer.
  expect((await fetch(`${portal.url}/healthz`)).status).toBe(200);
  const exited = new Promise<number>((resolve) => portal.process.once("exit", () => resolve(Date.now())));
  const signalledAt = Date.now();
  portal.process.kill("SIGTERM");
  const answer = await held;
  expect(answer.status).toBe(503);
  expect(answer.headers.get("retry-after")).toBe("1");
  expect(await answer.json()).toMatchObject({ error: "temporarily_unavailable" });
  expect((await exited) - signalledAt).toBeLessThan(10_000);
  expect(portal.logs()).toContain('"msg":"stopped"');
});
