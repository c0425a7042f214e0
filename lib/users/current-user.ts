import { db } from "@/lib/db/client";
import { userView, type UserView } from "./user-view";

export async function currentUser(userId: string): Promise<UserView> {
  return userView(db(), userId);
}
