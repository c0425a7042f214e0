import { address as btcAddress, networks } from "bitcoinjs-lib";
import { getAddress } from "viem";

export type WalletAddress = {
  chain: "ethereum" | "bitcoin";
  address: string;
  kind: "eoa" | "p2pkh" | "p2sh" | "p2wpkh" | "p2wsh" | "p2tr";
};

const ETHEREUM = /^0x[0-9a-fA-F]{40}$/;
const BASE58 = /^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/;
const BECH32 = /^bc1[02-9ac-hj-np-z]{8,87}$/i;

function parseEthereum(input: string): WalletAddress | null {
  if (!ETHEREUM.test(input)) return null;
  const hex = input.slice(2);
  const checksummed = getAddress(input.toLowerCase());
  // EIP-55: a single case carries no checksum; mixed case must be the exact checksum.
  const singleCase = hex === hex.toLowerCase() || hex === hex.toUpperCase();
  if (!singleCase && checksummed !== input) return null;
  return { chain: "ethereum", address: checksummed, kind: "eoa" };
}

function parseBase58(input: string): WalletAddress | null {
  if (!BASE58.test(input)) return null;
  try {
    const { version } = btcAddress.fromBase58Check(input);
    if (version === networks.bitcoin.pubKeyHash) return { chain: "bitcoin", address: input, kind: "p2pkh" };
    if (version === networks.bitcoin.scriptHash) return { chain: "bitcoin", address: input, kind: "p2sh" };
    return null;
  } catch {
    return null;
  }
}

function parseBech32(input: string): WalletAddress | null {
  if (!BECH32.test(input)) return null;
  const lower = input.toLowerCase();
  // BIP-173 allows all-upper (QR codes), never mixed.
  if (input !== lower && input !== input.toUpperCase()) return null;
  try {
    // fromBech32 insists on bech32 for v0 and bech32m for v1+ (BIP-350).
    const { version, prefix, data } = btcAddress.fromBech32(lower);
    if (prefix !== networks.bitcoin.bech32) return null;
    if (version === 0 && data.length === 20) return { chain: "bitcoin", address: lower, kind: "p2wpkh" };
    if (version === 0 && data.length === 32) return { chain: "bitcoin", address: lower, kind: "p2wsh" };
    if (version === 1 && data.length === 32) return { chain: "bitcoin", address: lower, kind: "p2tr" };
    return null;
  } catch {
    return null;
  }
}

/**
 * Reads an Ethereum or Bitcoin mainnet address (SPEC §2, `crypto`) and returns
 * its one normalised form, so `0xabc…` and `0xAbC…` reach the same identity.
 * Null for anything else, including testnet addresses and bad checksums.
 */
export function parseWalletAddress(input: string): WalletAddress | null {
  const value = input.trim();
  if (value.startsWith("0x")) return parseEthereum(value);
  if (/^bc1/i.test(value)) return parseBech32(value);
  return parseBase58(value);
}
