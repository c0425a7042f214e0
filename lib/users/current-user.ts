import { kysely } from "@/lib/db/kysely";
import { userView, type UserView } from "./user-view";

export async function currentUser(userId: string): Promise<UserView> {
  return userView(kysely(), userId);
}
