import { randomInt } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { afterAll, describe, expect, it } from "vitest";
import { GET as userinfo } from "@/app/v1/oauth/userinfo/route";
import { addIdentity } from "@/lib/account/add-identity";
import { listActivity } from "@/lib/account/list-activity";
import { listIdentities } from "@/lib/account/list-identities";
import { listSessions } from "@/lib/account/list-sessions";
import { removeIdentity } from "@/lib/account/remove-identity";
import { revokeDevice } from "@/lib/account/revoke-device";
import { signOut } from "@/lib/account/sign-out";
import { signOutEverywhere } from "@/lib/account/sign-out-everywhere";
import { startAddingIdentity } from "@/lib/account/start-adding-identity";
import { sessionAlive } from "@/lib/auth/authenticate";
import { disconnectDb } from "@/lib/db/client";
import { findIdentityByValue } from "@/lib/db/identities";
import { kysely } from "@/lib/db/kysely";
import { completeSignIn, signInWithCode } from "@/lib/otp/sign-in-with-code";
import { startSignIn } from "@/lib/otp/start-sign-in";
import { call, randomIp, uniqueEmail } from "../support/api";
import { latestCode } from "../support/outbox";
import { noDatabase } from "../support/skip";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

function outboxTo(recipients: string[]) {
  return kysely().selectFrom("outbox_messages").select(["id", "code"]).where("recipient", "in", recipients).execute();
}

function auditRows(type: string, by: { userId: string } | { sessionId: string }) {
  const rows = kysely().selectFrom("audit_events").select("id").where("type", "=", type);
  return ("userId" in by ? rows.where("user_id", "=", by.userId) : rows.where("session_id", "=", by.sessionId)).execute();
}

function uniqueMobile(): string {
  for (;;) {
    const number = `+447911${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
    const parsed = parsePhoneNumberFromString(number);
    if (parsed?.getType() === "MOBILE" && parsed.country === "GB") return number;
  }
}

async function signUp(email = uniqueEmail(), userAgent = CHROME) {
  await startSignIn({ id: email, ip: randomIp() });
  return completeSignIn({ id: email, code: await latestCode(email), ip: randomIp(), userAgent });
}

/** Signs the same user in again (past the resend cooldown), as another device would. */
async function signInAgain(email: string, userAgent: string, minutesLater: number) {
  const now = new Date(Date.now() + minutesLater * 60_000);
  await startSignIn({ id: email, ip: randomIp(), now });
  return completeSignIn({ id: email, code: await latestCode(email), ip: randomIp(), userAgent, now });
}

async function addByCode(userId: string, id: string) {
  await startAddingIdentity({ userId, id, ip: randomIp() });
  return addIdentity({ userId, id, code: await latestCode(id), ip: randomIp() });
}

describe.skipIf(noDatabase)("the account page's domain", () => {
  afterAll(disconnectDb);

  it("a verified phone number is added to the account and then signs in to the same account", async () => {
    const user = await signUp();
    const mobile = uniqueMobile();
    const added = await addByCode(user.userId, mobile);
    expect(added).toMatchObject({ type: "mobile_number", value: mobile });
    expect((await listIdentities({ userId: user.userId })).map((i) => i.value)).toEqual([user.user.identities[0].value, mobile]);

    const later = new Date(Date.now() + 60_000);
    await startSignIn({ id: mobile, ip: randomIp(), now: later });
    const viaPhone = await signInWithCode({ id: mobile, code: await latestCode(mobile), ip: randomIp(), now: later });
    expect(viaPhone).toMatchObject({ is_new_user: false, user: { id: user.userId } });
  });

  it("a code started for signing in cannot add an identity, and one started for adding cannot sign in", async () => {
    const user = await signUp();
    const email = uniqueEmail("extra");
    await startSignIn({ id: email, ip: randomIp() });
    const signInCode = await latestCode(email);
    await expect(addIdentity({ userId: user.userId, id: email, code: signInCode, ip: randomIp() })).rejects.toMatchObject({ code: "invalid_code" });

    const other = uniqueEmail("other");
    await startAddingIdentity({ userId: user.userId, id: other, ip: randomIp() });
    await expect(completeSignIn({ id: other, code: await latestCode(other), ip: randomIp() })).rejects.toMatchObject({ code: "invalid_code" });
    expect(await findIdentityByValue(kysely(), other)).toBeUndefined();
  });

  it("another user's challenge for the same identity does not count for this user", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const shared = uniqueEmail("shared");
    await startAddingIdentity({ userId: alice.userId, id: shared, ip: randomIp() });
    const alicesCode = await latestCode(shared);
    await expect(addIdentity({ userId: bob.userId, id: shared, code: alicesCode, ip: randomIp() })).rejects.toMatchObject({ code: "invalid_code" });
    expect(await addIdentity({ userId: alice.userId, id: shared, code: alicesCode, ip: randomIp() })).toMatchObject({ value: shared });
  });

  it("an identity that belongs to another account is refused with a clear error and nothing changes", async () => {
    const owner = await signUp();
    const taken = owner.user.identities[0].value;
    const intruder = await signUp();
    // past the cooldown of the code that signed the owner up
    const now = new Date(Date.now() + 60_000);
    await startAddingIdentity({ userId: intruder.userId, id: taken, ip: randomIp(), now });
    const error = await addIdentity({ userId: intruder.userId, id: taken, code: await latestCode(taken), ip: randomIp(), now }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_identity", description: expect.stringContaining("another account") });
    expect(await findIdentityByValue(kysely(), taken)).toMatchObject({ userId: owner.userId });
    expect(await listIdentities({ userId: intruder.userId })).toHaveLength(1);
    expect(await auditRows("identity_added", { userId: intruder.userId })).toHaveLength(0);
  });

  it("two accounts verifying the same new identity at once: one gets it, the other a clear error", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const contested = uniqueEmail("contested");
    const t0 = Date.now();
    await startAddingIdentity({ userId: alice.userId, id: contested, ip: randomIp(), now: new Date(t0) });
    const alicesCode = await latestCode(contested);
    await startAddingIdentity({ userId: bob.userId, id: contested, ip: randomIp(), now: new Date(t0 + 31_000) });
    const bobsCode = await latestCode(contested);
    const now = new Date(t0 + 40_000);
    const results = await Promise.allSettled([
      addIdentity({ userId: alice.userId, id: contested, code: alicesCode, ip: randomIp(), now }),
      addIdentity({ userId: bob.userId, id: contested, code: bobsCode, ip: randomIp(), now }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "invalid_identity" } });
    const owner = await findIdentityByValue(kysely(), contested);
    expect([alice.userId, bob.userId]).toContain(owner?.userId);
  });

  it("adding an identity already on the account is refused before any code is sent", async () => {
    const user = await signUp();
    const own = user.user.identities[0].value;
    const before = (await outboxTo([own])).length;
    await expect(startAddingIdentity({ userId: user.userId, id: own.toUpperCase(), ip: randomIp() })).rejects.toMatchObject({ code: "invalid_identity" });
    expect(await outboxTo([own])).toHaveLength(before);
  });

  it("the last identity cannot be removed", async () => {
    const user = await signUp();
    const [only] = await listIdentities({ userId: user.userId });
    await expect(removeIdentity({ userId: user.userId, identityId: only.id })).rejects.toMatchObject({ code: "invalid_request" });
    expect(await listIdentities({ userId: user.userId })).toHaveLength(1);
  });

  it("two removals at the same moment leave one identity behind", async () => {
    // a few rounds: without the lock PostgreSQL lets both through most of the time
    for (let round = 0; round < 4; round++) {
      const user = await signUp();
      await addByCode(user.userId, uniqueEmail("second"));
      const [a, b] = await listIdentities({ userId: user.userId });
      const results = await Promise.allSettled([
        removeIdentity({ userId: user.userId, identityId: a.id }),
        removeIdentity({ userId: user.userId, identityId: b.id }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.objectContaining({ code: "invalid_request" })]);
      expect(await listIdentities({ userId: user.userId })).toHaveLength(1);
    }
  });

  it("someone else's identity cannot be removed", async () => {
    const owner = await signUp();
    await addByCode(owner.userId, uniqueEmail("second"));
    const stranger = await signUp();
    const [target] = await listIdentities({ userId: owner.userId });
    await expect(removeIdentity({ userId: stranger.userId, identityId: target.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await listIdentities({ userId: owner.userId })).toHaveLength(2);
  });

  it("the session list shows each device, marks this one and says how it signed in", async () => {
    const email = uniqueEmail();
    const laptop = await signUp(email, CHROME);
    const phone = await signInAgain(email, IPHONE, 1);
    const sessions = await listSessions({ userId: laptop.userId, currentSessionId: laptop.sessionId });
    expect(sessions.map((s) => [s.id, s.current, s.device.label, s.createdVia])).toEqual([
      [laptop.sessionId, true, "Chrome on Linux", "code"],
      [phone.sessionId, false, expect.stringMatching(/^Mobile Safari on iOS/), "code"],
    ]);
  });

  it("revoking a device ends its tokens; another user's session cannot be revoked", async () => {
    const email = uniqueEmail();
    const laptop = await signUp(email);
    const phone = await signInAgain(email, IPHONE, 1);
    const stranger = await signUp();
    await expect(revokeDevice({ userId: stranger.userId, sessionId: phone.sessionId })).rejects.toMatchObject({ code: "not_found" });
    expect(await sessionAlive(phone.sessionId, phone.userId)).toBe(true);

    await revokeDevice({ userId: laptop.userId, sessionId: phone.sessionId });
    expect(await sessionAlive(phone.sessionId, phone.userId)).toBe(false);
    expect(await sessionAlive(laptop.sessionId, laptop.userId)).toBe(true);
    await expect(revokeDevice({ userId: laptop.userId, sessionId: phone.sessionId })).rejects.toMatchObject({ code: "not_found" });
  });

  it("signing out everywhere ends every session, and their access tokens are refused", async () => {
    const email = uniqueEmail();
    await signUp(email);
    const later = new Date(Date.now() + 60_000);
    await startSignIn({ id: email, ip: randomIp(), now: later });
    const api = await signInWithCode({ id: email, code: await latestCode(email), ip: randomIp(), now: later });
    const other = await signUp();

    const { sessions } = await signOutEverywhere({ userId: api.user.id });
    expect(sessions).toBe(2);
    expect(await listSessions({ userId: api.user.id })).toEqual([]);
    const me = await call(userinfo, { headers: { authorization: `Bearer ${api.access_token}` } });
    expect(me.status).toBe(401);
    expect(await sessionAlive(other.sessionId, other.userId)).toBe(true);
  });

  it("signing out ends only this browser's session", async () => {
    const email = uniqueEmail();
    const here = await signUp(email);
    const there = await signInAgain(email, IPHONE, 1);
    await signOut({ userId: here.userId, sessionId: here.sessionId });
    await signOut({ userId: here.userId, sessionId: here.sessionId });
    expect(await sessionAlive(here.sessionId, here.userId)).toBe(false);
    expect(await sessionAlive(there.sessionId, there.userId)).toBe(true);
    expect(await auditRows("signed_out", { sessionId: here.sessionId })).toHaveLength(1);
  });

  it("recent activity reads as sentences, includes wrong codes for the user's identities, and never shows a code", async () => {
    const email = uniqueEmail();
    const user = await signUp(email);
    await expect(completeSignIn({ id: email, code: "000000", ip: randomIp() })).rejects.toMatchObject({ code: "invalid_code" });
    const phone = uniqueMobile();
    await addByCode(user.userId, phone);
    const codes = (await outboxTo([email, phone])).map((m) => m.code);

    const activity = await listActivity({ userId: user.userId });
    const texts = activity.map((a) => a.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        `Created the account with a code sent to ${email}`,
        `A wrong code was entered for ${email}`,
        `Added ${phone}`,
        `A code was sent to ${phone} by SMS`,
      ]),
    );
    expect(activity.find((a) => a.type === "sign_in")).toMatchObject({ device: "Chrome on Linux", warning: false });
    expect(activity.find((a) => a.type === "sign_in_failed")).toMatchObject({ warning: true });
    for (const code of codes) expect(texts.join(" ")).not.toContain(code);
    const stranger = await signUp();
    expect((await listActivity({ userId: stranger.userId })).map((a) => a.text).join(" ")).not.toContain(email);
  });
});
