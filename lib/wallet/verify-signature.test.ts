import { Signer } from "bip322-js";
import * as bitcoin from "bitcoinjs-lib";
import { ECPairFactory } from "ecpair";
import * as ecc from "tiny-secp256k1";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { parseWalletAddress, type WalletAddress } from "./parse-address";
import { buildSignInMessage, type SignInFacts } from "./sign-in-message";
import { verifyWalletSignature, type ExpectedSignIn } from "./verify-signature";

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);

const issuedAt = new Date("2026-11-26T07:00:00.000Z");
const expiresAt = new Date("2026-11-26T07:05:00.000Z");
const duringChallenge = new Date("2026-11-26T07:01:00.000Z");

function wallet(address: string): WalletAddress {
  const parsed = parseWalletAddress(address);
  if (!parsed) throw new Error(`test address ${address} does not parse`);
  return parsed;
}

function messageFor(address: WalletAddress, overrides: Partial<SignInFacts> = {}): string {
  return buildSignInMessage({
    address,
    domain: "localhost:3000",
    uri: "http://localhost:3000",
    appName: "Werify",
    nonce: "abcd1234EFGH5678",
    issuedAt,
    expiresAt,
    ...overrides,
  });
}

function expecting(address: WalletAddress, overrides: Partial<ExpectedSignIn> = {}): ExpectedSignIn {
  return { address, domain: "localhost:3000", nonce: "abcd1234EFGH5678", now: duringChallenge, ...overrides };
}

function ethereumKey() {
  const account = privateKeyToAccount(generatePrivateKey());
  return { account, address: wallet(account.address) };
}

type BitcoinKind = "p2pkh" | "p2sh" | "p2wpkh" | "p2tr";

function bitcoinKey(kind: BitcoinKind) {
  const keyPair = ECPair.makeRandom();
  const pubkey = keyPair.publicKey;
  const payment = {
    p2pkh: () => bitcoin.payments.p2pkh({ pubkey }),
    p2sh: () => bitcoin.payments.p2sh({ redeem: bitcoin.payments.p2wpkh({ pubkey }) }),
    p2wpkh: () => bitcoin.payments.p2wpkh({ pubkey }),
    p2tr: () => bitcoin.payments.p2tr({ internalPubkey: pubkey.subarray(1, 33) }),
  }[kind]();
  const address = wallet(payment.address!);
  return { address, sign: (message: string) => Signer.sign(keyPair.toWIF(), address.address, message), keyPair };
}

describe("Ethereum wallet sign-in", () => {
  it("a wallet that signs the message it was shown is signed in", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address);
    const signature = await account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address) })).toBe(true);
  });

  it("a signature pasted with a trailing newline still signs in", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address);
    const signature = await account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature: `${signature}\n`, expected: expecting(address) })).toBe(true);
  });

  it("an identity typed in lower case signs in with its checksummed message", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address);
    const signature = await account.signMessage({ message });
    const lower = { ...address, address: address.address.toLowerCase() };
    expect(await verifyWalletSignature({ message, signature, expected: expecting(lower) })).toBe(true);
  });

  it("a signature made for another site is refused", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address, { domain: "evil.example", uri: "https://evil.example" });
    const signature = await account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address) })).toBe(false);
  });

  it("a signature made for another address is refused", async () => {
    const signer = ethereumKey();
    const victim = ethereumKey();
    const message = messageFor(signer.address);
    const signature = await signer.account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(victim.address) })).toBe(false);
  });

  it("a signature made for another nonce is refused", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address, { nonce: "zzzz9999yyyy8888" });
    const signature = await account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address) })).toBe(false);
  });

  it("a signature arriving after the message expired is refused", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address);
    const signature = await account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address, { now: expiresAt }) })).toBe(false);
  });

  it("a message issued well in the future is refused", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address, { issuedAt: new Date("2026-11-26T07:03:00.000Z") });
    const signature = await account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address) })).toBe(false);
  });

  // viem's validateSiweMessage skips a check whose expected value is empty; ours must not.
  it("an empty expected domain or nonce matches nothing", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address);
    const signature = await account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address, { domain: "" }) })).toBe(false);
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address, { nonce: "" }) })).toBe(false);
  });

  it("a signature by a different key over the right message is refused", async () => {
    const { address } = ethereumKey();
    const other = ethereumKey();
    const message = messageFor(address);
    const signature = await other.account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address) })).toBe(false);
  });

  it("a message changed after signing is refused", async () => {
    const { account, address } = ethereumKey();
    const message = messageFor(address);
    const signature = await account.signMessage({ message });
    const extended = messageFor(address, { expiresAt: new Date("2026-11-26T09:00:00.000Z") });
    expect(await verifyWalletSignature({ message: extended, signature, expected: expecting(address) })).toBe(false);
  });

  it.each(["0x1234", "not base64", "", `0x${"ff".repeat(65)}`, `0x${"00".repeat(65)}`, `0x${"zz".repeat(65)}`])(
    "a malformed signature %j is refused",
    async (signature) => {
      const { address } = ethereumKey();
      expect(await verifyWalletSignature({ message: messageFor(address), signature, expected: expecting(address) })).toBe(false);
    },
  );
});

describe("Bitcoin wallet sign-in", () => {
  it.each<[string, BitcoinKind]>([
    ["a native segwit (bc1q, BIP-322)", "p2wpkh"],
    ["a taproot (bc1p, BIP-322)", "p2tr"],
    ["a legacy (1…, BIP-137)", "p2pkh"],
    ["a nested segwit (3…, BIP-322)", "p2sh"],
  ])("%s wallet that signs the message it was shown is signed in", async (_, kind) => {
    const { address, sign } = bitcoinKey(kind);
    const message = messageFor(address);
    expect(await verifyWalletSignature({ message, signature: sign(message), expected: expecting(address) })).toBe(true);
  });

  it("a segwit wallet that signs the legacy (BIP-137) way is signed in", async () => {
    const { address, keyPair } = bitcoinKey("p2wpkh");
    const legacy = bitcoin.payments.p2pkh({ pubkey: keyPair.publicKey }).address!;
    const message = messageFor(address);
    const signature = Signer.sign(keyPair.toWIF(), legacy, message);
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address) })).toBe(true);
  });

  it.each<BitcoinKind>(["p2wpkh", "p2tr", "p2pkh"])("a signature made for another site is refused (%s)", async (kind) => {
    const { address, sign } = bitcoinKey(kind);
    const message = messageFor(address, { domain: "evil.example", uri: "https://evil.example" });
    expect(await verifyWalletSignature({ message, signature: sign(message), expected: expecting(address) })).toBe(false);
  });

  it.each<BitcoinKind>(["p2wpkh", "p2tr", "p2pkh"])("a signature made for another address is refused (%s)", async (kind) => {
    const signer = bitcoinKey(kind);
    const victim = bitcoinKey(kind);
    const message = messageFor(signer.address);
    expect(await verifyWalletSignature({ message, signature: signer.sign(message), expected: expecting(victim.address) })).toBe(false);
  });

  it.each<BitcoinKind>(["p2wpkh", "p2tr", "p2pkh"])("a signature made for another nonce is refused (%s)", async (kind) => {
    const { address, sign } = bitcoinKey(kind);
    const message = messageFor(address, { nonce: "zzzz9999yyyy8888" });
    expect(await verifyWalletSignature({ message, signature: sign(message), expected: expecting(address) })).toBe(false);
  });

  it.each<BitcoinKind>(["p2wpkh", "p2tr", "p2pkh"])("a signature arriving after the message expired is refused (%s)", async (kind) => {
    const { address, sign } = bitcoinKey(kind);
    const message = messageFor(address);
    const late = expecting(address, { now: new Date("2026-11-26T07:05:00.001Z") });
    expect(await verifyWalletSignature({ message, signature: sign(message), expected: late })).toBe(false);
  });

  it.each<BitcoinKind>(["p2wpkh", "p2tr", "p2pkh", "p2sh"])("a signature by a different key over the right message is refused (%s)", async (kind) => {
    const { address } = bitcoinKey(kind);
    const other = bitcoinKey(kind);
    const message = messageFor(address);
    expect(await verifyWalletSignature({ message, signature: other.sign(message), expected: expecting(address) })).toBe(false);
  });

  it("a message changed after signing is refused", async () => {
    const { address, sign } = bitcoinKey("p2wpkh");
    const signature = sign(messageFor(address));
    const extended = messageFor(address, { expiresAt: new Date("2026-11-26T09:00:00.000Z") });
    expect(await verifyWalletSignature({ message: extended, signature, expected: expecting(address) })).toBe(false);
  });

  it.each<BitcoinKind>(["p2wpkh", "p2tr", "p2pkh"])("malformed signatures are refused, never thrown (%s)", async (kind) => {
    const { address, sign } = bitcoinKey(kind);
    const message = messageFor(address);
    const genuine = sign(message);
    const malformed = [
      "0x1234",
      "not base64",
      "",
      "AAAA",
      genuine.slice(0, -4),
      `${genuine.slice(0, 10)}!${genuine.slice(11)}`,
      Buffer.alloc(65, 0xff).toString("base64"),
      Buffer.alloc(200, 1).toString("base64"),
    ];
    for (const signature of malformed) {
      expect(await verifyWalletSignature({ message, signature, expected: expecting(address) }), signature).toBe(false);
    }
  });

  it("a pay-to-script address that no single key controls cannot sign in", async () => {
    const { sign } = bitcoinKey("p2wpkh");
    const p2wsh = wallet(bitcoin.payments.p2wsh({ redeem: bitcoin.payments.p2pk({ pubkey: ECPair.makeRandom().publicKey }) }).address!);
    const message = messageFor(p2wsh);
    expect(await verifyWalletSignature({ message, signature: sign(message), expected: expecting(p2wsh) })).toBe(false);
  });
});

describe("wallet sign-in across chains", () => {
  it("an Ethereum signature is refused for a Bitcoin identity", async () => {
    const { account } = ethereumKey();
    const { address } = bitcoinKey("p2wpkh");
    const message = messageFor(address);
    const signature = await account.signMessage({ message });
    expect(await verifyWalletSignature({ message, signature, expected: expecting(address) })).toBe(false);
  });

  it("a Bitcoin message is refused for an Ethereum identity", async () => {
    const { address: btc, sign } = bitcoinKey("p2wpkh");
    const { address: eth } = ethereumKey();
    const message = messageFor(btc);
    expect(await verifyWalletSignature({ message, signature: sign(message), expected: expecting(eth) })).toBe(false);
  });
});
