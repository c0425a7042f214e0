import { z } from "zod";

// One schema per request body: the routes parse with them, the forms share
// them, and /v1/openapi.json is generated from them.
export const signBody = z
  .object({
    id: z.string().min(1).max(320).meta({ description: "Email address, phone number (E.164 or national), or Ethereum/Bitcoin address.", example: "hi@trader4.net" }),
    channel: z.enum(["sms", "voice"]).optional().meta({ description: "For mobile numbers: ask for a voice call instead of an SMS." }),
  })
  .meta({ id: "SignRequest" });

export const verifyBody = z
  .object({
    id: z.string().min(1).max(320).meta({ description: "The identity the code was sent to.", example: "hi@trader4.net" }),
    code: z
      .union([z.string().max(8192), z.number().int()])
      .optional()
      .meta({ description: "The 6-digit code (string or integer; integers are left-padded), or for wallets the signature.", example: "012345" }),
    signature: z.string().max(8192).optional().meta({ description: "Wallet signature (alternative to `code`)." }),
    challenge_id: z
      .string()
      .max(64)
      .optional()
      .meta({
        description:
          "Wallets: the `challenge_id` that sign returned with the message. The signature is then checked against exactly that message, and wrong signatures use up only its tries. Without it the portal checks the address's few newest open messages, those requested from the caller's own network first. Ignored for codes.",
        example: "ch_3bVqk0w1y3WZ3iN8m9CqGg",
      }),
  })
  .refine((body) => body.code !== undefined || body.signature !== undefined, { message: "Send the code as `code` (or a wallet signature as `signature`)." })
  .meta({ id: "VerifyRequest" });

export type SignBody = z.infer<typeof signBody>;
export type VerifyBody = z.infer<typeof verifyBody>;
