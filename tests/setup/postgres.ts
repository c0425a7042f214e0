import type { TestProject } from "vitest/node";
import { migrate } from "../../lib/db/migrate";
import { createTestDatabase, dropTestDatabase, postgresAdminUrl } from "../support/postgres";

export default async function setup(project: TestProject) {
  const admin = await postgresAdminUrl();
  if (!admin) {
    process.stdout.write("postgres: TEST_POSTGRES=skip — PostgreSQL tests skipped\n");
    project.provide("databaseUrl", "");
    return;
  }
  const url = await createTestDatabase(admin);
  await migrate(url);
  project.provide("databaseUrl", url);
  return () => dropTestDatabase(admin, url);
}
