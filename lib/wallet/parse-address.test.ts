import * as bitcoin from "bitcoinjs-lib";
import { ECPairFactory } from "ecpair";
import * as ecc from "tiny-secp256k1";
import { describe, expect, it } from "vitest";
import { parseWalletAddress } from "./parse-address";

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);
const BECH32_CHARS = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BASE58_CHARS = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function addressesOf(network = bitcoin.networks.bitcoin) {
  const pubkey = ECPair.makeRandom({ network }).publicKey;
  return {
    p2pkh: bitcoin.payments.p2pkh({ pubkey, network }).address!,
    p2sh: bitcoin.payments.p2sh({ redeem: bitcoin.payments.p2wpkh({ pubkey, network }), network }).address!,
    p2wpkh: bitcoin.payments.p2wpkh({ pubkey, network }).address!,
    p2wsh: bitcoin.payments.p2wsh({ redeem: bitcoin.payments.p2pk({ pubkey, network }), network }).address!,
    p2tr: bitcoin.payments.p2tr({ internalPubkey: pubkey.subarray(1, 33), network }).address!,
  };
}

// One substituted character in the payload, as a mistyped or misread address would have.
function flipOne(address: string): string {
  const at = 12;
  const alphabet = address.startsWith("bc1") ? BECH32_CHARS : BASE58_CHARS;
  const next = alphabet[(alphabet.indexOf(address[at]) + 1) % alphabet.length];
  return address.slice(0, at) + next + address.slice(at + 1);
}

describe("Ethereum addresses", () => {
  it("a checksummed and a lower-case Ethereum address are the same identity", () => {
    const checksummed = parseWalletAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    const lower = parseWalletAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    expect(checksummed).toEqual({ chain: "ethereum", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", kind: "eoa" });
    expect(lower).toEqual(checksummed);
  });

  it("an all-upper-case Ethereum address is accepted without a checksum", () => {
    expect(parseWalletAddress("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359")?.address).toBe("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
  });

  it.each(["0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"])(
    "the EIP-55 example %s is accepted as written",
    (address) => {
      expect(parseWalletAddress(address)?.address).toBe(address);
    },
  );

  it("a mixed-case address with a bad checksum is refused", () => {
    expect(parseWalletAddress("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")).toBeNull();
  });

  it("spaces pasted around an address are ignored", () => {
    expect(parseWalletAddress("  0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\n")?.address).toBe("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  });

  it.each([
    ["too short", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"],
    ["too long", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00"],
    ["not hex", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beagg"],
    ["without 0x", "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"],
    ["with 0X", "0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"],
  ])("an Ethereum address %s is refused", (_, address) => {
    expect(parseWalletAddress(address)).toBeNull();
  });
});

describe("Bitcoin addresses", () => {
  const mainnet = addressesOf();

  it.each(Object.entries(mainnet))("a mainnet %s address is accepted as that kind", (kind, address) => {
    expect(parseWalletAddress(address)).toEqual({ chain: "bitcoin", address, kind });
  });

  it.each(Object.entries(mainnet))("a %s address with one character changed is refused", (_, address) => {
    expect(parseWalletAddress(flipOne(address))).toBeNull();
  });

  it.each(Object.entries(addressesOf(bitcoin.networks.testnet)))("a testnet %s address is refused", (_, address) => {
    expect(parseWalletAddress(address)).toBeNull();
  });

  it("a regtest address is refused", () => {
    expect(parseWalletAddress(addressesOf(bitcoin.networks.regtest).p2wpkh)).toBeNull();
  });

  it("an upper-case bech32 address (as QR codes carry it) is the same identity as its lower case", () => {
    expect(parseWalletAddress(mainnet.p2wpkh.toUpperCase())?.address).toBe(mainnet.p2wpkh);
    expect(parseWalletAddress("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")?.address).toBe("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
  });

  it("a mixed-case bech32 address is refused", () => {
    const mixed = mainnet.p2tr.slice(0, 20) + mainnet.p2tr.slice(20).toUpperCase();
    expect(parseWalletAddress(mixed)).toBeNull();
  });

  it("spaces pasted around a Bitcoin address are ignored", () => {
    expect(parseWalletAddress(` ${mainnet.p2pkh}\t`)?.address).toBe(mainnet.p2pkh);
  });

  // BIP-350 test vectors: the right characters under the wrong checksum algorithm.
  it("a taproot address checksummed with bech32 instead of bech32m is refused", () => {
    expect(parseWalletAddress("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")?.kind).toBe("p2tr");
    expect(parseWalletAddress("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd")).toBeNull();
  });

  it("a segwit v0 address checksummed with bech32m instead of bech32 is refused", () => {
    expect(parseWalletAddress("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["a word", "hello"],
    ["an email", "hi@trader4.net"],
    ["the BIP-173 testnet example", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"],
    ["a future segwit version", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs"],
  ])("%s is not a wallet address", (_, input) => {
    expect(parseWalletAddress(input)).toBeNull();
  });
});
