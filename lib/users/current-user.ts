import { q } from "@/lib/db/sql";
import { userView, type UserView } from "./user-view";

export async function currentUser(userId: string): Promise<UserView> {
  return userView(q, userId);
}
