import { createHmac, randomBytes, randomInt } from "node:crypto";
import { secretFor } from "@/lib/config/secrets";

export const CODE_LENGTH = 6;

/** 6 digits from the CSPRNG: 20 bits, NIST 800-63B's floor for a look-up secret. */
export function generateCode(): string {
  return randomInt(0, 10 ** CODE_LENGTH).toString().padStart(CODE_LENGTH, "0");
}

export function newChallengeId(): string {
  return `ch_${randomBytes(16).toString("base64url")}`;
}

/** The shape newChallengeId gives; anything else (NUL bytes, which PostgreSQL refuses in text, included) names no challenge. */
export function isChallengeId(value: string): boolean {
  return /^ch_[A-Za-z0-9_-]{16,43}$/.test(value);
}

/** SIWE nonces are alphanumeric; 96 bits is plenty for a single-use value that expires in minutes. */
export function newNonce(): string {
  return randomBytes(12).toString("hex");
}

/** Only this HMAC is stored; binding the challenge id means one code's hash says nothing about another's. */
export function hashCode(challengeId: string, code: string): string {
  return createHmac("sha256", secretFor("otp-code")).update(`${challengeId}:${code}`).digest("base64url");
}

/** `12345` (a JSON integer that lost its leading zero) is the code `012345`. */
export function normaliseCode(code: string | number): string {
  if (typeof code === "number") return Number.isSafeInteger(code) && code >= 0 ? String(code).padStart(CODE_LENGTH, "0") : "";
  return code.trim();
}
