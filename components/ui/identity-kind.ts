export type IdentityKind = "email" | "mobile_number" | "phone_number" | "phone" | "ethereum" | "bitcoin" | null;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const ETHEREUM = /^0x[0-9a-fA-F]{40}$/;
const BITCOIN = /^(bc1[02-9ac-hj-np-z]{11,87}|BC1[02-9AC-HJ-NP-Z]{11,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$/;
const PHONE = /^\+?[\d\s().-]{6,}$/;

/**
 * A light guess at what someone is typing, for the hint under the field.
 * The server decides for real (checksums, number types, regions).
 */
export function guessIdentityKind(raw: string): IdentityKind {
  const value = raw.trim();
  if (!value) return null;
  if (value.includes("@")) return EMAIL.test(value) ? "email" : null;
  if (ETHEREUM.test(value)) return "ethereum";
  if (BITCOIN.test(value)) return "bitcoin";
  return PHONE.test(value) ? "phone" : null;
}

/** Mobile or landline, once the number is complete. The number metadata (40 kB) loads only when someone types a number. */
export async function refinePhoneKind(raw: string, region = "GB"): Promise<IdentityKind> {
  const { parsePhoneNumberFromString } = await import("libphonenumber-js/max");
  const phone = parsePhoneNumberFromString(raw.trim(), region as Parameters<typeof parsePhoneNumberFromString>[1]);
  if (!phone?.isValid()) return "phone";
  const type = phone.getType();
  return type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE" ? "mobile_number" : "phone_number";
}

export const KIND_LABELS: Record<Exclude<IdentityKind, null>, string> = {
  email: "Email address — we will email you a code",
  mobile_number: "Mobile number — we will text you a code",
  phone_number: "Phone number — we will call you with a code",
  phone: "Phone number (keep typing)",
  ethereum: "Ethereum wallet — you will sign a message",
  bitcoin: "Bitcoin wallet — you will sign a message",
};

/** The type names the API uses (SPEC §2), for people. */
export function identityTypeLabel(type: string): string {
  switch (type) {
    case "email":
      return "Email";
    case "mobile_number":
      return "Mobile";
    case "phone_number":
      return "Phone";
    case "crypto":
      return "Wallet";
    default:
      return type;
  }
}
