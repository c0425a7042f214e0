import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postgresAdminUrl } from "../support/postgres";

const saved = { url: process.env.TEST_DATABASE_URL, skip: process.env.TEST_POSTGRES };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the test run without PostgreSQL", () => {
  afterEach(() => {
    for (const [key, value] of [["TEST_DATABASE_URL", saved.url], ["TEST_POSTGRES", saved.skip]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("fails, naming the server it could not reach, instead of skipping the PostgreSQL tests", async () => {
    process.env.TEST_DATABASE_URL = `postgresql://postgres:secret@127.0.0.1:${await closedPort()}/postgres`;
    delete process.env.TEST_POSTGRES;
    const failure = postgresAdminUrl();
    await expect(failure).rejects.toThrow(/No PostgreSQL answers at 127\.0\.0\.1:\d+ .*TEST_POSTGRES=skip/);
    await expect(failure).rejects.not.toThrow(/secret/);
  });

  it("leaves them out only when the run opts out with TEST_POSTGRES=skip", async () => {
    process.env.TEST_DATABASE_URL = `postgresql://postgres@127.0.0.1:${await closedPort()}/postgres`;
    process.env.TEST_POSTGRES = "skip";
    expect(await postgresAdminUrl()).toBeNull();
  });
});
