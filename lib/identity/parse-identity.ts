import { domainToASCII } from "node:url";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { ApiError } from "@/lib/http/errors";
import { parseWalletAddress, type WalletAddress } from "@/lib/wallet/parse-address";

export type IdentityType = "email" | "mobile_number" | "phone_number" | "crypto";
export type Channel = "email" | "sms" | "voice" | "wallet";

export type ParsedIdentity =
  | { type: "email"; value: string }
  | { type: "mobile_number" | "phone_number"; value: string; country: string | undefined }
  | { type: "crypto"; value: string; wallet: WalletAddress };

const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const PHONE_CHARS = /^[+\d\s().-]+$/;

function invalid(): never {
  throw new ApiError(
    "invalid_identity",
    "`id` must be an email address, a phone number in international format (+44…), or an Ethereum or Bitcoin address.",
    { reason: "unrecognised_identity" },
  );
}

function parseEmail(input: string): ParsedIdentity {
  const at = input.lastIndexOf("@");
  const local = input.slice(0, at).toLowerCase();
  const domain = domainToASCII(input.slice(at + 1).toLowerCase());
  if (!EMAIL_LOCAL.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) invalid();
  const labels = domain.split(".");
  if (!domain || labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || /^\d+$/.test(labels.at(-1)!)) invalid();
  const value = `${local}@${domain}`;
  if (value.length > 254) invalid();
  return { type: "email", value };
}

function parsePhone(input: string, defaultRegion: string): ParsedIdentity {
  const phone = parsePhoneNumberFromString(input, defaultRegion as Parameters<typeof parsePhoneNumberFromString>[1]);
  if (!phone || !phone.isValid()) invalid();
  const kind = phone.getType();
  const mobile = kind === "MOBILE" || kind === "FIXED_LINE_OR_MOBILE";
  return { type: mobile ? "mobile_number" : "phone_number", value: phone.number, country: phone.country };
}

/**
 * Decides an identity's type and normalised value (SPEC §2): the same person
 * typing `Hi@Trader4.net ` or `07888 872720` always reaches the same identity.
 */
export function parseIdentity(raw: string, defaultRegion: string): ParsedIdentity {
  const input = raw.trim();
  if (!input || input.length > 320) invalid();
  if (input.includes("@")) return parseEmail(input);
  if (PHONE_CHARS.test(input)) return parsePhone(input, defaultRegion);
  const wallet = parseWalletAddress(input);
  if (!wallet) invalid();
  return { type: "crypto", value: wallet.address, wallet };
}

/** The channel a code goes out on; `requested` lets a mobile number ask for a voice call. */
export function channelFor(identity: ParsedIdentity, requested?: "sms" | "voice"): Channel {
  switch (identity.type) {
    case "email":
      return "email";
    case "crypto":
      return "wallet";
    case "phone_number":
      if (requested === "sms") throw new ApiError("invalid_request", "This number cannot receive SMS; ask for `channel: \"voice\"` or leave it out.");
      return "voice";
    case "mobile_number":
      return requested ?? "sms";
  }
}
