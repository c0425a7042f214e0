import { inject } from "vitest";

// Runs in every test worker before any test module is imported, so lib/config
// reads these values once, as it would in a server.
declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// Demo mode: the tests read codes from the outbox, which keeps them only in demo mode.
process.env.PORTAL_MODE ??= "demo";
process.env.APP_SECRET ??= "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
process.env.DELIVERY ??= "outbox";
process.env.PUBLIC_URL ??= "http://localhost:3000";
process.env.LOG_LEVEL ??= "silent";
const databaseUrl = inject("databaseUrl");
if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
else if (databaseUrl === "") {
  // the postgres project found no server: its tests skip (tests/support/skip.ts)
  delete process.env.DATABASE_URL;
  process.env.WERIFY_TEST_NO_DB = "1";
}
