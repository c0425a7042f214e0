import { z } from "zod";

export const tokenBody = z
  .object({
    grant_type: z.string().meta({ description: "Only `refresh_token`.", example: "refresh_token" }),
    refresh_token: z.string().min(1).max(512).meta({ description: "The refresh token from the last sign-in or refresh." }),
  })
  .meta({ id: "TokenRequest" });

export const revokeBody = z
  .object({
    token: z.string().max(4096).meta({ description: "A refresh token or access token. Revoking either ends its session." }),
    token_type_hint: z.string().optional(),
  })
  .meta({ id: "RevokeRequest" });
