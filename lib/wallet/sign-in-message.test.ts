import { describe, expect, it } from "vitest";
import type { WalletAddress } from "./parse-address";
import { buildSignInMessage, readSignInMessage, type SignInFacts } from "./sign-in-message";

const ethereum: WalletAddress = { chain: "ethereum", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", kind: "eoa" };
const bitcoin: WalletAddress = { chain: "bitcoin", address: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", kind: "p2wpkh" };

function facts(address: WalletAddress, overrides: Partial<SignInFacts> = {}): SignInFacts {
  return {
    address,
    domain: "localhost:3000",
    uri: "http://localhost:3000",
    appName: "Werify",
    nonce: "abcd1234EFGH5678",
    issuedAt: new Date("2026-11-26T07:00:00.000Z"),
    expiresAt: new Date("2026-11-26T07:05:00.000Z"),
    ...overrides,
  };
}

describe("the message a wallet is asked to sign", () => {
  it("an Ethereum wallet is shown a standard Sign-In with Ethereum message", () => {
    expect(buildSignInMessage(facts(ethereum))).toBe(
      [
        "localhost:3000 wants you to sign in with your Ethereum account:",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "",
        "Sign in to Werify",
        "",
        "URI: http://localhost:3000",
        "Version: 1",
        "Chain ID: 1",
        "Nonce: abcd1234EFGH5678",
        "Issued At: 2026-11-26T07:00:00.000Z",
        "Expiration Time: 2026-11-26T07:05:00.000Z",
      ].join("\n"),
    );
  });

  it("a Bitcoin wallet is shown the same facts in the same shape", () => {
    expect(buildSignInMessage(facts(bitcoin))).toBe(
      [
        "localhost:3000 wants you to sign in with your Bitcoin account:",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "",
        "Sign in to Werify",
        "",
        "URI: http://localhost:3000",
        "Nonce: abcd1234EFGH5678",
        "Issued At: 2026-11-26T07:00:00.000Z",
        "Expiration Time: 2026-11-26T07:05:00.000Z",
      ].join("\n"),
    );
  });

  it("a message from a lower-case Ethereum identity still names the checksummed address", () => {
    const lower = { ...ethereum, address: ethereum.address.toLowerCase() };
    expect(buildSignInMessage(facts(lower))).toContain("\n0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n");
  });

  it.each([ethereum, bitcoin])("a nonce shorter than 8 letters or digits is never issued ($chain)", (address) => {
    expect(() => buildSignInMessage(facts(address, { nonce: "abc123" }))).toThrow();
    expect(() => buildSignInMessage(facts(address, { nonce: "abcd-1234" }))).toThrow();
  });

  it("an app name cannot smuggle extra lines into a Bitcoin message", () => {
    expect(() => buildSignInMessage(facts(bitcoin, { appName: "Werify\nURI: https://evil.example" }))).toThrow();
  });
});

describe("reading a signed message back", () => {
  it.each([ethereum, bitcoin])("a message reads back as the facts it was built from ($chain)", (address) => {
    const built = facts(address);
    expect(readSignInMessage(buildSignInMessage(built))).toEqual(built);
  });

  it.each([ethereum, bitcoin])("a line added after the expiration makes it a message we never issued ($chain)", (address) => {
    expect(readSignInMessage(`${buildSignInMessage(facts(address))}\nNot Before: 2026-11-26T07:00:00.000Z`)).toBeNull();
  });

  it.each([ethereum, bitcoin])("a time rewritten in another valid notation is not our message ($chain)", (address) => {
    const message = buildSignInMessage(facts(address)).replace("07:05:00.000Z", "07:05:00Z");
    expect(readSignInMessage(message)).toBeNull();
  });

  it("an Ethereum message for another chain is not our message", () => {
    expect(readSignInMessage(buildSignInMessage(facts(ethereum)).replace("Chain ID: 1", "Chain ID: 5"))).toBeNull();
  });

  it("an Ethereum message naming the address in lower case is not our message", () => {
    const message = buildSignInMessage(facts(ethereum)).replace(ethereum.address, ethereum.address.toLowerCase());
    expect(readSignInMessage(message)).toBeNull();
  });

  it("a Bitcoin message naming a testnet address is not our message", () => {
    const message = buildSignInMessage(facts(bitcoin)).replace(bitcoin.address, "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
    expect(readSignInMessage(message)).toBeNull();
  });

  it.each(["", "hello", "localhost:3000 wants you to sign in with your Bitcoin account:\n"])("%j is not a sign-in message", (text) => {
    expect(readSignInMessage(text)).toBeNull();
  });
});
