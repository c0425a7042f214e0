import { config } from "@/lib/config";
import type { UserView } from "@/lib/users/user-view";
import { signAccessToken } from "./access-token";

export type TokenResponse = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  user: UserView;
  is_new_user: boolean;
};

/** The body every successful sign-in or refresh answers with (SPEC §3.2). */
export async function tokenResponse(input: { user: UserView; sessionId: string; refreshToken: string; isNewUser: boolean }): Promise<TokenResponse> {
  return {
    access_token: await signAccessToken({ userId: input.user.id, sessionId: input.sessionId }),
    token_type: "Bearer",
    expires_in: config().ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: input.refreshToken,
    user: input.user,
    is_new_user: input.isNewUser,
  };
}
