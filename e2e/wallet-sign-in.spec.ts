import { expect, test, type Page } from "@playwright/test";
import { Signer } from "bip322-js";
import * as bitcoin from "bitcoinjs-lib";
import { ECPairFactory } from "ecpair";
import * as ecc from "tiny-secp256k1";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);

type Behaviour = { accounts: string[]; decline?: boolean };

/**
 * Gives the page a `window.ethereum` (EIP-1193) whose personal_sign is answered
 * in this test process by a viem local account, as a browser wallet would after
 * the user clicked "Sign". Returns the hex messages it was asked to sign.
 */
async function injectBrowserWallet(page: Page, behaviour: Behaviour) {
  const account = privateKeyToAccount(generatePrivateKey());
  const signed: string[] = [];
  await page.exposeFunction("__testWalletSign", async (hexMessage: `0x${string}`, address: string) => {
    if (address.toLowerCase() !== account.address.toLowerCase()) throw new Error(`asked to sign for ${address}`);
    signed.push(hexMessage);
    return account.signMessage({ message: { raw: hexMessage } });
  });
  await page.addInitScript(
    ({ accounts, decline }) => {
      const provider = {
        async request({ method, params }: { method: string; params?: unknown[] }) {
          if (method === "eth_requestAccounts") return accounts;
          if (method === "personal_sign") {
            if (decline) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
            const sign = Reflect.get(window, "__testWalletSign") as (hex: string, address: string) => Promise<string>;
            return sign(String(params?.[0]), String(params?.[1]));
          }
          throw Object.assign(new Error(`unsupported ${method}`), { code: 4200 });
        },
      };
      Reflect.set(window, "ethereum", provider);
    },
    { accounts: behaviour.accounts.length ? behaviour.accounts : [account.address], decline: behaviour.decline ?? false },
  );
  return { account, signed };
}

async function continueWithWallet(page: Page, address: string) {
  await page.goto("/login");
  await page.getByLabel("Email, phone number or wallet address").fill(address);
  await page.getByRole("button", { name: "Continue with wallet" }).click();
  await expect(page.getByRole("heading", { name: "Sign with your wallet" })).toBeVisible();
  return page.getByLabel("Message to sign");
}

/** An alert of the wallet step saying `text` (Next.js adds a route announcer that is an alert too). */
function walletAlert(page: Page, text: string) {
  return page.getByRole("region", { name: "Sign with your wallet" }).getByRole("alert").filter({ hasText: text });
}

async function expectSignedInAs(page: Page, address: string) {
  await page.waitForURL("**/account");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByText(address).first()).toBeVisible();
}

test("a browser wallet signs the message and the user lands on their account", async ({ page }) => {
  const wallet = await injectBrowserWallet(page, { accounts: [] });
  const message = await continueWithWallet(page, wallet.account.address.toLowerCase());
  await expect(message).toContainText("wants you to sign in with your Ethereum account:");
  await expect(message).toContainText(wallet.account.address);
  const shown = (await message.textContent()) ?? "";

  await page.getByRole("button", { name: "Sign with wallet" }).click();

  await expectSignedInAs(page, wallet.account.address);
  expect(wallet.signed).toHaveLength(1);
  expect(Buffer.from(wallet.signed[0].slice(2), "hex").toString("utf8")).toBe(shown);
});

test("a wallet on another account is asked to switch, and declining says nothing was signed", async ({ page }) => {
  const other = privateKeyToAccount(generatePrivateKey()).address;
  const wallet = await injectBrowserWallet(page, { accounts: [other] });
  await continueWithWallet(page, wallet.account.address);

  await page.getByRole("button", { name: "Sign with wallet" }).click();
  await expect(walletAlert(page, "Switch accounts in your wallet")).toBeVisible();
  expect(wallet.signed).toHaveLength(0);

  const declining = await page.context().newPage();
  const declined = await injectBrowserWallet(declining, { accounts: [], decline: true });
  await continueWithWallet(declining, declined.account.address);
  await declining.getByRole("button", { name: "Sign with wallet" }).click();
  await expect(walletAlert(declining, "nothing was signed")).toBeVisible();
  await expect(declining.getByRole("button", { name: "Sign with wallet" })).toBeEnabled();
  await expect(declining).toHaveURL(/\/login/);
});

test("a signature pasted from a Bitcoin wallet signs the user in", async ({ page }) => {
  const keyPair = ECPair.makeRandom();
  const address = bitcoin.payments.p2wpkh({ pubkey: keyPair.publicKey }).address!;
  const message = await continueWithWallet(page, address);
  // No browser wallet signs Bitcoin messages here: only the paste field is offered.
  await expect(page.getByRole("button", { name: "Sign with wallet" })).toHaveCount(0);
  await expect(message).toContainText("wants you to sign in with your Bitcoin account:");

  const signature = Signer.sign(keyPair.toWIF(), address, (await message.textContent()) ?? "");
  await page.getByLabel("Paste the signature").fill(`${signature}\n`);
  await page.getByRole("button", { name: "Sign in with this signature" }).click();

  await expectSignedInAs(page, address);
});

test("a pasted signature from another key is refused with the attempts left", async ({ page }) => {
  const keyPair = ECPair.makeRandom();
  const stranger = ECPair.makeRandom();
  const address = bitcoin.payments.p2tr({ internalPubkey: keyPair.publicKey.subarray(1, 33) }).address!;
  const strangerAddress = bitcoin.payments.p2tr({ internalPubkey: stranger.publicKey.subarray(1, 33) }).address!;
  const message = (await (await continueWithWallet(page, address)).textContent()) ?? "";

  await page.getByLabel("Paste the signature").fill(Signer.sign(stranger.toWIF(), strangerAddress, message));
  await page.getByRole("button", { name: "Sign in with this signature" }).click();

  await expect(walletAlert(page, "4 attempts left")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Paste the signature").fill(Signer.sign(keyPair.toWIF(), address, message));
  await page.getByRole("button", { name: "Sign in with this signature" }).click();
  await expectSignedInAs(page, address);
});
