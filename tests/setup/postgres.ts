import type { TestProject } from "vitest/node";
import { migrate } from "../../lib/db/migrate";
import { createTestDatabase, dropTestDatabase, postgresAdminUrl } from "../support/postgres";

export default async function setup(project: TestProject) {
  const admin = await postgresAdminUrl();
  if (!admin) {
    process.stdout.write("postgres: no server at TEST_DATABASE_URL or 127.0.0.1:5432 — PostgreSQL tests skipped\n");
    project.provide("databaseUrl", "");
    return;
  }
  const url = await createTestDatabase(admin);
  await migrate(url);
  project.provide("databaseUrl", url);
  return () => dropTestDatabase(admin, url);
}
