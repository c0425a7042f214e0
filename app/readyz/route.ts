import { checkDatabase } from "@/lib/health/check-database";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const GET = route(async () => {
  const database = await checkDatabase();
  return json({ status: database ? "ready" : "unavailable", database: database ? "ok" : "unreachable" }, database ? 200 : 503);
});
