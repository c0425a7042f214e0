import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrate } from "../../lib/db/migrate";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "werify-sqlite-"));
  const url = `file:${join(dir, "test.db")}`;
  await migrate(url);
  project.provide("databaseUrl", url);
  return () => rmSync(dir, { recursive: true, force: true });
}
