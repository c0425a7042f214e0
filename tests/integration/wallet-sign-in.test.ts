import { randomBytes } from "node:crypto";
import { Signer } from "bip322-js";
import * as bitcoin from "bitcoinjs-lib";
import { ECPairFactory } from "ecpair";
import * as ecc from "tiny-secp256k1";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import { POST as sign } from "@/app/v1/oauth/sign/route";
import { POST as verify } from "@/app/v1/oauth/verify/route";
import { GET as userinfo } from "@/app/v1/oauth/userinfo/route";
import { disconnectDb } from "@/lib/db/client";
import { addIdentity } from "@/lib/account/add-identity";
import { startAddingIdentity } from "@/lib/account/start-adding-identity";
import { signInWithCode } from "@/lib/otp/sign-in-with-code";
import { startSignIn } from "@/lib/otp/start-sign-in";
import { call, randomIp } from "../support/api";
import { noDatabase } from "../support/skip";

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);

type Challenge = { challenge_id: string; id_type: string; channel: string; message: string; expires_in: number };
type Tokens = {
  access_token: string;
  token_type: string;
  refresh_token: string;
  user: { id: string; identities: { type: string; value: string; verified_at: string }[] };
  is_new_user: boolean;
};
type Refusal = { error: string; error_description: string; attempts_remaining?: number };

/** A throwaway key and the one address it controls, as a wallet app would hold them. */
type Wallet = { address: string; sign: (message: string) => Promise<string> };
type Kind = "ethereum" | "p2wpkh" | "p2tr" | "p2pkh" | "p2sh";

function newWallet(kind: Kind): Wallet {
  if (kind === "ethereum") {
    const account = privateKeyToAccount(generatePrivateKey());
    return { address: account.address, sign: (message) => account.signMessage({ message }) };
  }
  const keyPair = ECPair.makeRandom();
  const pubkey = keyPair.publicKey;
  const payment = {
    p2wpkh: () => bitcoin.payments.p2wpkh({ pubkey }),
    p2tr: () => bitcoin.payments.p2tr({ internalPubkey: pubkey.subarray(1, 33) }),
    p2pkh: () => bitcoin.payments.p2pkh({ pubkey }),
    p2sh: () => bitcoin.payments.p2sh({ redeem: bitcoin.payments.p2wpkh({ pubkey }) }),
  }[kind]();
  const address = payment.address!;
  return { address, sign: async (message) => Signer.sign(keyPair.toWIF(), address, message) };
}

async function askToSign(address: string, ip = randomIp()) {
  const reply = await call<Challenge>(sign, { body: { id: address }, ip });
  expect(reply.status).toBe(200);
  return reply.body;
}

/** startSignIn with an injected clock, for the tests about time. */
async function askToSignAt(address: string, now: Date) {
  const started = await startSignIn({ id: address, ip: randomIp(), now });
  if (!("message" in started)) throw new Error(`${address} was not given a message to sign`);
  return started;
}

/** Sends a signature as the documented client does: with the `challenge_id` sign returned for the message. */
function present(address: string, signature: string, challengeId: string, ip = randomIp()) {
  return call<Tokens & Refusal>(verify, { body: { id: address, code: signature, challenge_id: challengeId }, ip });
}

/** Sends a signature as clients written before `challenge_id` existed do: `{id, code}` only. */
function presentWithoutId(address: string, signature: string, ip = randomIp()) {
  return call<Tokens & Refusal>(verify, { body: { id: address, code: signature }, ip });
}

async function signIn(wallet: Wallet, typed = wallet.address) {
  const { message, challenge_id } = await askToSign(typed);
  return present(typed, await wallet.sign(message), challenge_id);
}

/** A signature's worth of bytes that signs nothing: what a stranger can send. */
function garbageSignature(i: number, kind: Kind): string {
  return kind === "ethereum" ? `0x${(i % 256).toString(16).padStart(2, "0").repeat(65)}` : Buffer.alloc(65, i % 256).toString("base64");
}

function expectRefused(reply: { status: number; body: Refusal }, attemptsRemaining?: number) {
  expect(reply.status).toBe(400);
  expect(reply.body.error).toBe("invalid_code");
  if (attemptsRemaining !== undefined) expect(reply.body.attempts_remaining).toBe(attemptsRemaining);
}

const kinds: [string, Kind][] = [
  ["an Ethereum account", "ethereum"],
  ["a native segwit Bitcoin address (bc1q…, BIP-322)", "p2wpkh"],
  ["a taproot Bitcoin address (bc1p…, BIP-322)", "p2tr"],
  ["a legacy Bitcoin address (1…, BIP-137)", "p2pkh"],
];

describe.skipIf(noDatabase)("signing in with a wallet", () => {
  afterAll(disconnectDb);

  it("an Ethereum address is asked to sign a Sign-In with Ethereum message for this portal", async () => {
    const wallet = newWallet("ethereum");
    const challenge = await askToSign(wallet.address.toLowerCase());
    expect(challenge).toEqual({ challenge_id: expect.stringMatching(/^ch_/), id_type: "crypto", channel: "wallet", message: expect.any(String), expires_in: 300 });
    const lines = challenge.message.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "localhost:3000 wants you to sign in with your Ethereum account:",
      wallet.address,
      "",
      "Sign in to Werify",
      "",
      "URI: http://localhost:3000",
    ]);
    expect(lines).toContain("Chain ID: 1");
    const issued = Date.parse(lines.find((l) => l.startsWith("Issued At: "))!.slice(11));
    const expires = Date.parse(lines.find((l) => l.startsWith("Expiration Time: "))!.slice(17));
    expect(expires - issued).toBe(300_000);
    expect(lines.find((l) => l.startsWith("Nonce: "))).toMatch(/^Nonce: [a-zA-Z0-9]{16,}$/);
  });

  it("a Bitcoin address is asked to sign a message stating the same facts", async () => {
    const wallet = newWallet("p2tr");
    const challenge = await askToSign(wallet.address);
    expect(challenge).toMatchObject({ id_type: "crypto", channel: "wallet", expires_in: 300 });
    expect(challenge.message).toMatch(
      new RegExp(`^localhost:3000 wants you to sign in with your Bitcoin account:\n${wallet.address}\n\nSign in to Werify\n\nURI: http://localhost:3000\nNonce: [a-zA-Z0-9]{16,}\nIssued At: \\S+\nExpiration Time: \\S+$`),
    );
  });

  it("the sign answer is the same for a known and an unknown address, apart from its message", async () => {
    const known = newWallet("ethereum");
    expect((await signIn(known)).status).toBe(200);
    const forKnown = await askToSign(known.address);
    const forNew = await askToSign(newWallet("ethereum").address);
    expect(Object.keys(forKnown).sort()).toEqual(Object.keys(forNew).sort());
    expect(forKnown.expires_in).toBe(forNew.expires_in);
  });

  it.each(kinds)("%s that signs the message it was given is signed in as a new user", async (_, kind) => {
    const wallet = newWallet(kind);
    const reply = await signIn(wallet);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ token_type: "Bearer", expires_in: 900, is_new_user: true });
    expect(reply.body.refresh_token).toBeTruthy();
    expect(reply.body.user.identities).toEqual([{ type: "crypto", value: wallet.address, verified_at: expect.any(String) }]);
    const me = await call<Tokens["user"]>(userinfo, { headers: { authorization: `Bearer ${reply.body.access_token}` } });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(reply.body.user.id);
  });

  it("a nested segwit Bitcoin address (3…) signs in too", async () => {
    const reply = await signIn(newWallet("p2sh"));
    expect(reply.status).toBe(200);
    expect(reply.body.is_new_user).toBe(true);
  });

  it("a checksummed and a lower-case Ethereum address are the same user", async () => {
    const wallet = newWallet("ethereum");
    const first = await signIn(wallet, wallet.address.toLowerCase());
    expect(first.status).toBe(200);
    expect(first.body.user.identities[0].value).toBe(wallet.address);
    const second = await signIn(wallet, wallet.address);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ is_new_user: false, user: { id: first.body.user.id } });
    expect(second.body.user.identities).toHaveLength(1);
  });

  it("a bech32 address typed in capitals (as QR codes carry it) is the same user", async () => {
    const wallet = newWallet("p2wpkh");
    const first = await signIn(wallet);
    const second = await signIn(wallet, wallet.address.toUpperCase());
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ is_new_user: false, user: { id: first.body.user.id } });
  });

  it("the signature can be sent as `signature` instead of `code`", async () => {
    const wallet = newWallet("ethereum");
    const { message, challenge_id } = await askToSign(wallet.address);
    const reply = await call<Tokens>(verify, { body: { id: wallet.address, signature: await wallet.sign(message), challenge_id } });
    expect(reply.status).toBe(200);
  });

  it.each(kinds)("%s signs in with `{id, code}` alone, as clients written before `challenge_id` do", async (_, kind) => {
    const wallet = newWallet(kind);
    const { message } = await askToSign(wallet.address);
    const reply = await presentWithoutId(wallet.address, await wallet.sign(message));
    expect(reply.status).toBe(200);
    expect(reply.body.is_new_user).toBe(true);
  });

  it("a signature pasted with spaces and a newline around it still signs in", async () => {
    const wallet = newWallet("p2wpkh");
    const { message, challenge_id } = await askToSign(wallet.address);
    const reply = await present(wallet.address, `  ${await wallet.sign(message)}\n`, challenge_id);
    expect(reply.status).toBe(200);
  });

  it("of 10 concurrent verifications of one signature exactly one signs in, with or without its challenge id", async () => {
    const wallet = newWallet("ethereum");
    const { message, challenge_id } = await askToSign(wallet.address);
    const signature = await wallet.sign(message);
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? present(wallet.address, signature, challenge_id) : presentWithoutId(wallet.address, signature))));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 200)) expectRefused(reply);
  });
});

describe.skipIf(noDatabase)("wallet signatures that must not sign in", () => {
  afterAll(disconnectDb);

  it.each(kinds)("%s: a signature over the message rewritten for another site is refused", async (_, kind) => {
    const wallet = newWallet(kind);
    const { message, challenge_id } = await askToSign(wallet.address);
    // What a phishing site shows the victim: our nonce, its own domain.
    const phished = message.replace("localhost:3000 wants", "evil.example wants").replace("URI: http://localhost:3000", "URI: https://evil.example");
    expect(phished).not.toBe(message);
    expectRefused(await present(wallet.address, await wallet.sign(phished), challenge_id), 4);
    expectRefused(await presentWithoutId(wallet.address, await wallet.sign(phished)));
  });

  it.each(kinds)("%s: a signature by another wallet is refused", async (_, kind) => {
    const victim = newWallet(kind);
    const attacker = newWallet(kind);
    const { message, challenge_id } = await askToSign(victim.address);
    // The attacker signs the victim's message as is, and again with its own address in it.
    expectRefused(await present(victim.address, await attacker.sign(message), challenge_id), 4);
    expectRefused(await present(victim.address, await attacker.sign(message.replace(victim.address, attacker.address)), challenge_id), 3);
    expectRefused(await presentWithoutId(victim.address, await attacker.sign(message)));
  });

  it.each(kinds)("%s: a genuine sign-in of one address cannot be replayed for another", async (_, kind) => {
    const victim = newWallet(kind);
    const attacker = newWallet(kind);
    const forVictim = await askToSign(victim.address);
    const forAttacker = await askToSign(attacker.address);
    const signature = await attacker.sign(forAttacker.message);
    expectRefused(await present(victim.address, signature, forVictim.challenge_id), 4);
    // the attacker's own challenge id does not make it the victim's
    expectRefused(await present(victim.address, signature, forAttacker.challenge_id), 0);
    expectRefused(await presentWithoutId(victim.address, signature));
  });

  it.each(kinds)("%s: a signature over another nonce is refused", async (_, kind) => {
    const wallet = newWallet(kind);
    const { message, challenge_id } = await askToSign(wallet.address);
    const nonce = message.match(/^Nonce: (\w+)$/m)![1];
    const forged = message.replace(`Nonce: ${nonce}`, `Nonce: ${"a1".repeat(nonce.length / 2)}`);
    expectRefused(await present(wallet.address, await wallet.sign(forged), challenge_id), 4);
  });

  it.each(kinds)("%s: the right signature sent with the id of another of the address's messages is refused", async (_, kind) => {
    const wallet = newWallet(kind);
    const first = await askToSign(wallet.address);
    const second = await askToSign(wallet.address);
    expectRefused(await present(wallet.address, await wallet.sign(first.message), second.challenge_id), 4);
    expect((await present(wallet.address, await wallet.sign(first.message), first.challenge_id)).status).toBe(200);
  });

  it.each(kinds)("%s: a new message for the address does not cancel the one being signed, and each signs in once", async (_, kind) => {
    const wallet = newWallet(kind);
    const earlier = await askToSign(wallet.address);
    const signature = await wallet.sign(earlier.message);
    const newer = await askToSign(wallet.address);
    expect(newer.message).not.toBe(earlier.message);
    expect((await present(wallet.address, signature, earlier.challenge_id)).status).toBe(200);
    expectRefused(await present(wallet.address, signature, earlier.challenge_id), 0);
    expectRefused(await presentWithoutId(wallet.address, signature));
    expect((await present(wallet.address, await wallet.sign(newer.message), newer.challenge_id)).status).toBe(200);
  });

  it.each(kinds)("%s: a signature used once cannot sign in again", async (_, kind) => {
    const wallet = newWallet(kind);
    const { message, challenge_id } = await askToSign(wallet.address);
    const signature = await wallet.sign(message);
    expect((await present(wallet.address, signature, challenge_id)).status).toBe(200);
    expectRefused(await present(wallet.address, signature, challenge_id), 0);
    expectRefused(await presentWithoutId(wallet.address, signature), 0);
  });

  it.each(kinds)("%s: a signature arriving after the message expired is refused", async (_, kind) => {
    const wallet = newWallet(kind);
    const t0 = new Date();
    const { message, challenge_id } = await askToSignAt(wallet.address, t0);
    const signature = await wallet.sign(message);
    const late = new Date(t0.getTime() + 300_000);
    await expect(signInWithCode({ id: wallet.address, code: signature, challengeId: challenge_id, ip: randomIp(), now: late })).rejects.toMatchObject({ code: "invalid_code", status: 400 });
    await expect(signInWithCode({ id: wallet.address, code: signature, ip: randomIp(), now: late })).rejects.toMatchObject({ code: "invalid_code", status: 400 });
  });

  it("a signature arriving a second before the message expires still signs in", async () => {
    const wallet = newWallet("ethereum");
    const t0 = new Date();
    const { message, challenge_id } = await askToSignAt(wallet.address, t0);
    const tokens = await signInWithCode({ id: wallet.address, code: await wallet.sign(message), challengeId: challenge_id, ip: randomIp(), now: new Date(t0.getTime() + 299_000) });
    expect(tokens.is_new_user).toBe(true);
  });

  it.each(kinds)("%s: malformed signatures sent with the challenge id are refused, each counting as a wrong try", async (_, kind) => {
    const wallet = newWallet(kind);
    const { challenge_id } = await askToSign(wallet.address);
    const malformed = ["", "0x1234", "not a signature", `0x${"zz".repeat(65)}`, Buffer.alloc(65, 0xff).toString("base64")];
    const left: unknown[] = [];
    for (const signature of malformed) {
      const reply = await present(wallet.address, signature, challenge_id);
      expectRefused(reply);
      left.push(reply.body.attempts_remaining);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
  });

  it.each(kinds)("%s: five wrong signatures sent with the challenge id count down its attempts, then even the right one is refused", async (_, kind) => {
    const wallet = newWallet(kind);
    const stranger = newWallet(kind);
    const ip = randomIp();
    const { message, challenge_id } = await askToSign(wallet.address, ip);
    const wrong = await stranger.sign(message);
    const left: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await present(wallet.address, wrong, challenge_id, ip);
      expectRefused(reply);
      left.push(reply.body.attempts_remaining);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const right = await present(wallet.address, await wallet.sign(message), challenge_id, ip);
    expect(right.status).toBe(429);
    expect(right.body.error).toBe("too_many_attempts");
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signIn(wallet)).status).toBe(200);
  });
});

describe.skipIf(noDatabase)("what a stranger who knows only the address can do to a wallet sign-in in progress", () => {
  afterAll(disconnectDb);

  it.each(kinds)("%s: ten new messages asked for by a stranger do not cancel the one its owner is signing", async (_, kind) => {
    const wallet = newWallet(kind);
    const owner = randomIp();
    const withId = await askToSign(wallet.address, owner);
    const withoutId = await askToSign(wallet.address, owner);
    const signatures = [await wallet.sign(withId.message), await wallet.sign(withoutId.message)];
    const stranger = randomIp();
    for (let i = 0; i < 10; i++) await askToSign(wallet.address, stranger);
    expect((await present(wallet.address, signatures[0], withId.challenge_id, owner)).status).toBe(200);
    // a client that sends no challenge id still finds its message: those asked for from its own network come first
    expect((await presentWithoutId(wallet.address, signatures[1], owner)).status).toBe(200);
  });

  it.each(kinds)("%s: a stranger's wrong signatures neither use up the owner's message nor lock the address", async (_, kind) => {
    const wallet = newWallet(kind);
    const owner = randomIp();
    const first = await askToSign(wallet.address, owner);
    const second = await askToSign(wallet.address, owner);
    // More than FAILED_VERIFICATIONS_PER_HOUR (20), from a few addresses, with no id and with guessed ones.
    const strangers = Array.from({ length: 5 }, () => randomIp());
    for (let i = 0; i < 25; i++) {
      const from = strangers[i % 5];
      const reply =
        i % 2 ? await presentWithoutId(wallet.address, garbageSignature(i, kind), from) : await present(wallet.address, garbageSignature(i, kind), `ch_${randomBytes(16).toString("base64url")}`, from);
      expectRefused(reply);
    }
    expect((await present(wallet.address, await wallet.sign(first.message), first.challenge_id, owner)).status).toBe(200);
    expect((await presentWithoutId(wallet.address, await wallet.sign(second.message), owner)).status).toBe(200);
    expect((await signIn(wallet)).status).toBe(200);
  });

  it("a challenge id with a NUL byte, look-alike characters or the wrong shape is refused as invalid_code, never a 500", async () => {
    const wallet = newWallet(kinds[0][1]);
    const asked = await askToSign(wallet.address, randomIp());
    const signature = await wallet.sign(asked.message);
    for (const odd of [`${asked.challenge_id}\u0000`, "ch_\u0000", "ch_ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ", "ch_' OR 1=1 --", "x".repeat(64)]) {
      expectRefused(await present(wallet.address, signature, odd, randomIp()));
    }
  });

  it("a stranger's wrong signatures without a challenge id leave every open message its five tries", async () => {
    const wallet = newWallet("ethereum");
    const { challenge_id } = await askToSign(wallet.address);
    for (let i = 0; i < 5; i++) expectRefused(await presentWithoutId(wallet.address, garbageSignature(i, "ethereum")), 5);
    expectRefused(await present(wallet.address, garbageSignature(9, "ethereum"), challenge_id), 4);
  });
});

describe.skipIf(noDatabase)("adding a wallet to an account", () => {
  afterAll(disconnectDb);

  it("wrong signatures count against the message named by its challenge id, and the right one adds the wallet", async () => {
    const account = await signIn(newWallet("ethereum"));
    const added = newWallet("p2wpkh");
    const ip = randomIp();
    const started = await startAddingIdentity({ userId: account.body.user.id, id: added.address, ip });
    if (!("message" in started)) throw new Error("no message to sign");
    const wrong = addIdentity({ userId: account.body.user.id, id: added.address, code: garbageSignature(1, "p2wpkh"), challengeId: started.challenge_id, ip });
    await expect(wrong).rejects.toMatchObject({ code: "invalid_code", extra: { fields: { attempts_remaining: 4 } } });
    const identity = await addIdentity({ userId: account.body.user.id, id: added.address, code: await added.sign(started.message), challengeId: started.challenge_id, ip });
    expect(identity).toMatchObject({ type: "crypto", value: added.address });
  });
});
