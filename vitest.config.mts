import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const alias = { "@": fileURLToPath(new URL("./", import.meta.url)) };
const integration = {
  include: ["tests/integration/**/*.test.ts"],
  setupFiles: ["tests/setup/env.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

// unit: pure functions, no database. sqlite / postgres: the same integration
// files, each run against a fresh database made for this run (and dropped after).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["lib/**/*.test.ts"], setupFiles: ["tests/setup/env.ts"] } },
      { resolve: { alias }, test: { name: "sqlite", ...integration, globalSetup: ["tests/setup/sqlite.ts"] } },
      { resolve: { alias }, test: { name: "postgres", ...integration, globalSetup: ["tests/setup/postgres.ts"] } },
    ],
  },
});
