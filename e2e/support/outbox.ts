import Database from "better-sqlite3";
import { sqlitePath } from "../../lib/db/migrate";

/** The newest code the portal's demo outbox holds for a recipient, read from its database file. */
export async function latestCode(databaseUrl: string, recipient: string, after = 0): Promise<string> {
  const db = new Database(sqlitePath(databaseUrl), { readonly: true, timeout: 5000 });
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const row = db
        .prepare("SELECT code, created_at FROM outbox_messages WHERE recipient = ? ORDER BY created_at DESC LIMIT 1")
        .get(recipient) as { code: string; created_at: string | number } | undefined;
      if (row?.code && new Date(row.created_at).getTime() >= after) return row.code;
      if (Date.now() > deadline) throw new Error(`no code in the outbox for ${recipient}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    db.close();
  }
}
