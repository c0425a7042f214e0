import { createSiweMessage, parseSiweMessage } from "viem/siwe";
import { getAddress } from "viem";
import { parseWalletAddress, type WalletAddress } from "./parse-address";

export type SignInFacts = {
  address: WalletAddress;
  /** host[:port] of PUBLIC_URL */
  domain: string;
  /** PUBLIC_URL origin */
  uri: string;
  appName: string;
  /** >= 8 alphanumerics (EIP-4361) */
  nonce: string;
  issuedAt: Date;
  expiresAt: Date;
};

const NONCE = /^[a-zA-Z0-9]{8,}$/;
const STATEMENT = /^Sign in to (.+)$/;
const BITCOIN_MESSAGE =
  /^(?<domain>\S+) wants you to sign in with your Bitcoin account:\n(?<address>\S+)\n\n(?<statement>[^\n]+)\n\nURI: (?<uri>\S+)\nNonce: (?<nonce>\S+)\nIssued At: (?<issuedAt>\S+)\nExpiration Time: (?<expiresAt>\S+)$/;

function buildBitcoinMessage(facts: SignInFacts): string {
  for (const field of [facts.domain, facts.uri, facts.appName]) {
    if (!field || /[\r\n]/.test(field)) throw new Error("Sign-in message fields must be non-empty single lines.");
  }
  if (!NONCE.test(facts.nonce)) throw new Error("A sign-in nonce must be at least 8 letters or digits.");
  return [
    `${facts.domain} wants you to sign in with your Bitcoin account:`,
    facts.address.address,
    "",
    `Sign in to ${facts.appName}`,
    "",
    `URI: ${facts.uri}`,
    `Nonce: ${facts.nonce}`,
    `Issued At: ${facts.issuedAt.toISOString()}`,
    `Expiration Time: ${facts.expiresAt.toISOString()}`,
  ].join("\n");
}

/**
 * The exact text a wallet signs (SPEC §5): EIP-4361 for Ethereum, the same
 * facts in the same line shape for Bitcoin. Throws on facts that cannot make
 * a valid message (a short nonce, a domain viem rejects, a multi-line name).
 */
export function buildSignInMessage(facts: SignInFacts): string {
  if (facts.address.chain === "bitcoin") return buildBitcoinMessage(facts);
  return createSiweMessage({
    address: getAddress(facts.address.address),
    chainId: 1,
    domain: facts.domain,
    uri: facts.uri,
    version: "1",
    statement: `Sign in to ${facts.appName}`,
    nonce: facts.nonce,
    issuedAt: facts.issuedAt,
    expirationTime: facts.expiresAt,
  });
}

function readEthereumFacts(message: string): SignInFacts | null {
  const siwe = parseSiweMessage(message);
  // Fields this portal never issues mean someone else wrote the message.
  if (siwe.scheme || siwe.notBefore || siwe.requestId || siwe.resources) return null;
  if (siwe.chainId !== 1 || siwe.version !== "1") return null;
  const appName = siwe.statement?.match(STATEMENT)?.[1];
  const address = siwe.address ? parseWalletAddress(siwe.address) : null;
  if (!appName || !address || !siwe.domain || !siwe.uri || !siwe.nonce || !siwe.issuedAt || !siwe.expirationTime) return null;
  return { address, domain: siwe.domain, uri: siwe.uri, appName, nonce: siwe.nonce, issuedAt: siwe.issuedAt, expiresAt: siwe.expirationTime };
}

function readBitcoinFacts(message: string): SignInFacts | null {
  const fields = message.match(BITCOIN_MESSAGE)?.groups;
  if (!fields) return null;
  const appName = fields.statement.match(STATEMENT)?.[1];
  const address = parseWalletAddress(fields.address);
  if (!appName || address?.chain !== "bitcoin") return null;
  return {
    address,
    domain: fields.domain,
    uri: fields.uri,
    appName,
    nonce: fields.nonce,
    issuedAt: new Date(fields.issuedAt),
    expiresAt: new Date(fields.expiresAt),
  };
}

/**
 * The facts a sign-in message states, or null when the text is not, byte for
 * byte, a message `buildSignInMessage` would have produced: a loose parse
 * would let trailing lines or a second date ride along under the signature.
 */
export function readSignInMessage(message: string): SignInFacts | null {
  const facts = message.includes("with your Bitcoin account:") ? readBitcoinFacts(message) : readEthereumFacts(message);
  if (!facts || Number.isNaN(facts.issuedAt.getTime()) || Number.isNaN(facts.expiresAt.getTime())) return null;
  try {
    return buildSignInMessage(facts) === message ? facts : null;
  } catch {
    return null;
  }
}
