import type { ActionResult } from "@/components/ui/api-error";

/** What the account page hands its client components: plain data, dates as ISO strings. */
export type IdentityItem = { id: string; type: string; value: string; verifiedAt: string };
export type SessionItem = {
  id: string;
  device: string;
  kind: string;
  ip: string | null;
  createdVia: string;
  clientName: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
};

export type StartedChallenge =
  | { challenge_id: string; id_type: string; channel: "email" | "sms" | "voice"; expires_in: number; resend_after: number; code_length: number }
  | { challenge_id: string; id_type: "crypto"; channel: "wallet"; message: string; expires_in: number };

export type AccountActions = {
  startAddIdentity: (id: string, channel?: "sms" | "voice") => Promise<ActionResult<{ started: StartedChallenge }>>;
  /** `challengeId`: for a wallet, the challenge_id its message came with */
  confirmAddIdentity: (id: string, code: string, challengeId?: string) => Promise<ActionResult<{ added: { type: string; value: string } }>>;
  removeIdentity: (identityId: string) => Promise<ActionResult<{ value: string }>>;
  revokeSession: (sessionId: string) => Promise<ActionResult>;
  signOut: () => Promise<ActionResult>;
  signOutEverywhere: () => Promise<ActionResult<{ sessions: number }>>;
};
