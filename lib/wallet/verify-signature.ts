import { Verifier } from "bip322-js";
import { getAddress, verifyMessage, type Hex } from "viem";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { log } from "@/lib/log";
import { parseWalletAddress, type WalletAddress } from "./parse-address";
import { readSignInMessage, type SignInFacts } from "./sign-in-message";

export type ExpectedSignIn = { address: WalletAddress; domain: string; nonce: string; now: Date };

const ETHEREUM_SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// Challenges are issued by one instance and may be verified by another whose
// clock runs a little behind; expiry stays exact.
const CLOCK_SKEW_MS = 60_000;

function statesExpected(facts: SignInFacts, expected: ExpectedSignIn): boolean {
  const now = expected.now.getTime();
  // Compared in normal form so a caller holding `0xabc…` still matches a message stating `0xAbC…`.
  const address = parseWalletAddress(expected.address.address);
  return (
    facts.address.chain === expected.address.chain &&
    facts.address.address === address?.address &&
    facts.domain === expected.domain &&
    facts.nonce === expected.nonce &&
    URL.canParse(facts.uri) &&
    new URL(facts.uri).host === facts.domain &&
    now >= facts.issuedAt.getTime() - CLOCK_SKEW_MS &&
    now < facts.expiresAt.getTime()
  );
}

function isEthereumSignature(signature: string): signature is Hex {
  return ETHEREUM_SIGNATURE.test(signature);
}

async function verifyEthereum(message: string, signature: string, expected: ExpectedSignIn): Promise<boolean> {
  if (!isEthereumSignature(signature)) return false;
  const address = getAddress(expected.address.address);
  // viem's reading of EIP-4361 as a second opinion: it also checks the nonce shape and version.
  const siwe = parseSiweMessage(message);
  if (!validateSiweMessage({ message: siwe, address, domain: expected.domain, nonce: expected.nonce, time: expected.now })) return false;
  return verifyMessage({ address, message, signature });
}

function verifyBitcoin(message: string, signature: string, address: string): boolean {
  // Buffer.from(…, "base64") skips junk characters, so "not base64" would decode to something.
  if (!BASE64.test(signature) || Buffer.from(signature, "base64").toString("base64") !== signature) return false;
  return Verifier.verifySignature(address, message, signature);
}

/**
 * Whether `signature` proves the holder of `expected.address` signed this
 * sign-in message for this domain and nonce, now (SPEC §5). Never throws:
 * anything malformed is simply not a valid signature.
 */
export async function verifyWalletSignature(input: { message: string; signature: string; expected: ExpectedSignIn }): Promise<boolean> {
  const { message, expected } = input;
  try {
    const signature = input.signature.trim();
    const facts = readSignInMessage(message);
    if (!facts || !statesExpected(facts, expected)) return false;
    if (expected.address.chain === "ethereum") return await verifyEthereum(message, signature, expected);
    return verifyBitcoin(message, signature, facts.address.address);
  } catch (error) {
    // Mostly a malformed signature; the name is enough to tell a library failure from that (the message may quote the signature).
    log("debug", "wallet signature could not be checked", { error: error instanceof Error ? error.name : typeof error });
    return false;
  }
}
