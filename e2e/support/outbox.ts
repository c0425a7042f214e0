import Database from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "../../lib/db/migrate";

type Row = { code: string; created_at: string | number | Date };

async function newest(databaseUrl: string, recipient: string): Promise<Row | undefined> {
  const sql = "SELECT code, created_at FROM outbox_messages WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1";
  if (databaseUrl.startsWith("postgres")) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query<Row>(sql, [recipient])).rows[0];
    } finally {
      await client.end();
    }
  }
  const db = new Database(sqlitePath(databaseUrl), { readonly: true, timeout: 5000 });
  try {
    return db.prepare(sql.replace("$1", "?")).get(recipient) as Row | undefined;
  } finally {
    db.close();
  }
}

/** The newest code the portal's demo outbox holds for a recipient (created at or after `after`, epoch ms). */
export async function latestCode(databaseUrl: string, recipient: string, after = 0): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await newest(databaseUrl, recipient);
    if (row?.code && new Date(row.created_at).getTime() >= after) return row.code;
    if (Date.now() > deadline) throw new Error(`no code in the outbox for ${recipient}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
