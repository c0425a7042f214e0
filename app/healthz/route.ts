import { json } from "@/lib/http/respond";

export function GET() {
  return json({ status: "ok" });
}
