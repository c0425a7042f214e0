import { expect, test } from "@playwright/test";
import { startPortal, type Portal } from "./support/portal";

// Rate limits see the socket address unless the peer is a configured proxy (issue 8).
let direct: Portal;
let proxied: Portal;

test.beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    startPortal({ SIGN_PER_IP_PER_10_MIN: "3", LOG_LEVEL: "warn" }),
    startPortal({ SIGN_PER_IP_PER_10_MIN: "3", LOG_LEVEL: "warn", TRUSTED_PROXIES: "127.0.0.1,::1" }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

async function sign(portal: Portal, forwardedFor: string) {
  const response = await fetch(`${portal.url}/v1/oauth/sign`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ id: `ip-${Math.random().toString(36).slice(2)}@example.com` }),
  });
  return response.status;
}

test("X-Forwarded-For from an untrusted peer does not change the IP that rate limits see", async () => {
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push(await sign(direct, `198.51.100.${i}`));
  expect(statuses).toEqual([200, 200, 200, 429]);
});

test("behind a trusted proxy each forwarded client has its own limit", async () => {
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push(await sign(proxied, `198.51.100.${i}`));
  expect(statuses).toEqual([200, 200, 200, 200]);
  for (let i = 0; i < 3; i++) await sign(proxied, "203.0.113.9");
  expect(await sign(proxied, "203.0.113.9")).toBe(429);
});
