import { test as base } from "@playwright/test";
import { startPortal, type Portal } from "./portal";

/**
 * A `test` whose pages talk to a portal of the spec file's own (fresh SQLite,
 * demo outbox), started once per worker. Every e2e request comes from
 * 127.0.0.1, so specs that sign in a lot would otherwise spend the shared
 * portal's per-IP budget that other specs need.
 */
export function testWithOwnPortal(env: Record<string, string> = {}) {
  return base.extend<object, { portal: Portal }>({
    portal: [
      async ({}, provide) => {
        const portal = await startPortal({ LOG_LEVEL: "warn", ...env });
        await provide(portal);
        await portal.stop();
      },
      { scope: "worker" },
    ],
    baseURL: async ({ portal }, provide) => {
      await provide(portal.url);
    },
  });
}
