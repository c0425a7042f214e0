import { sql } from "kysely";
import { kysely } from "./kysely";

/** A trivial round trip to the database. */
export async function ping(): Promise<void> {
  await sql`SELECT 1`.execute(kysely());
}
