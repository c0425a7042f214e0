import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applySql, describeSchema } from "../support/describe-schema";
import { createTestDatabase, dropTestDatabase, postgresAdminUrl } from "../support/postgres";
import { noDatabase } from "../support/skip";

const url = process.env.DATABASE_URL ?? "";
const postgres = url.startsWith("postgres");
const schema = postgres ? "prisma/postgres/schema.prisma" : "prisma/sqlite/schema.prisma";

function prisma(args: string[]): string {
  return execFileSync("npx", ["prisma", ...args], { encoding: "utf8", env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] });
}

describe.skipIf(noDatabase)(`the ${postgres ? "PostgreSQL" : "SQLite"} migrations`, () => {
  it("the generated schema files are up to date with prisma/models.prisma", () => {
    expect(() => execFileSync("node", ["scripts/db-schemas.mjs", "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("build exactly the database the models describe", async () => {
    // What Prisma would create from the models today…
    const expectedSql = prisma(["migrate", "diff", "--from-empty", "--to-schema-datamodel", schema, "--script"]);
    let scratch: string;
    let cleanup: () => Promise<void>;
    if (postgres) {
      const admin = (await postgresAdminUrl())!;
      scratch = await createTestDatabase(admin);
      cleanup = () => dropTestDatabase(admin, scratch);
    } else {
      const dir = mkdtempSync(join(tmpdir(), "werify-drift-"));
      scratch = `file:${join(dir, "expected.db")}`;
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    try {
      await applySql(scratch, expectedSql);
      // …against what the checked-in migrations built for this test run.
      expect(await describeSchema(url)).toEqual(await describeSchema(scratch));
    } finally {
      await cleanup();
    }
  }, 60_000);

  it("are recognised as applied by the Prisma CLI", () => {
    expect(prisma(["migrate", "status", "--schema", schema])).toContain("Database schema is up to date");
  }, 60_000);
});
