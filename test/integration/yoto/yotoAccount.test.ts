import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {Store} from "../../../src/store/store.js";
import {NEEDS_RELINK_MESSAGE, YotoAccount} from "../../../src/yoto/account.js";
import {OAuthClient} from "../../../src/yoto/oauthClient.js";
import {CLIENT_ID, startSimulator} from "../../helpers/cloud.js";
import {tempDir} from "../../helpers/tmp.js";

let sim: YotoSimulator | undefined;
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.stop()));
  await sim?.stop();
  sim = undefined;
});

async function account(dir?: string) {
  const store = new Store(dir ?? (await tempDir()), new Logger({sink: () => {}}));
  await store.start();
  stores.push(store);
  const lines: string[] = [];
  const log = new Logger({sink: (l) => lines.push(l)});
  const acct = new YotoAccount({oauth: new OAuthClient(sim!.endpoints.authUrl, CLIENT_ID), store, log});
  await acct.start();
  return {acct, store, lines, log};
}

/** What the user does: open the URL, let Yoto redirect, paste the address back. */
async function linkByPasting(acct: YotoAccount): Promise<string> {
  const {authorizeUrl} = acct.beginLink();
  const res = await fetch(authorizeUrl, {redirect: "manual"});
  const landed = res.headers.get("location") as string;
  await acct.completeLink(landed);
  return landed;
}

describe("Yoto account linking", () => {
  it("links by pasting back the redirected address, and stays linked across restarts", async () => {
    sim = await startSimulator();
    const dir = await tempDir();
    const {acct} = await account(dir);
    expect(acct.status().state).toBe("unlinked");
    const landed = await linkByPasting(acct);
    expect(landed).toMatch(/^http:\/\/127\.0\.0\.1:8787\/callback\?code=\w+&state=\w+$/);
    expect(acct.status()).toMatchObject({state: "linked", linkedAt: expect.any(String)});
    expect(sim.oauth.check(await acct.accessToken())).toBeDefined();
    await stores[0]?.stop();
    stores.length = 0;
    const again = await account(dir);
    expect(again.acct.status().state).toBe("linked");
  });

  it("explains what to paste, and refuses an address from another attempt", async () => {
    sim = await startSimulator();
    const {acct} = await account();
    await expect(acct.completeLink("whatever")).rejects.toThrow(
      "Start linking again: the link request expired or was never started",
    );
    const first = acct.beginLink();
    const landed = (await fetch(first.authorizeUrl, {redirect: "manual"})).headers.get("location") as string;
    acct.beginLink(); // the user started over
    await expect(acct.completeLink(landed)).rejects.toThrow(
      "That address belongs to another link attempt: start linking again and paste the new one",
    );
    await expect(acct.completeLink("http://127.0.0.1:8787/callback?error=access_denied")).rejects.toThrow(
      "Paste the whole address the browser ended on (it contains 'code=…'), or just the code",
    );
  });

  it("links with the device-code fallback once the user approves", async () => {
    sim = await startSimulator({deviceCodeIntervalSeconds: 1});
    const {acct} = await account();
    const status = await acct.beginDeviceLink();
    expect(status).toMatchObject({
      state: "linking",
      deviceCode: {userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/)},
    });
    await fetch(`${sim.url}/activate?user_code=${status.deviceCode?.userCode}`);
    await expect.poll(() => acct.status().state, {timeout: 5000}).toBe("linked");
    await acct.stop();
  });
});

describe("Yoto tokens", () => {
  it("refreshes once for many concurrent callers and saves the rotated refresh token first", async () => {
    sim = await startSimulator({tokenTtlSeconds: 30});
    const dir = await tempDir();
    const {acct} = await account(dir);
    await linkByPasting(acct);
    acct.invalidate(await acct.accessToken()); // as after a 401: the next callers must refresh
    const before = sim.oauth.stats.refreshes;
    const tokens = await Promise.all(Array.from({length: 10}, () => acct.accessToken()));
    expect(sim.oauth.stats.refreshes - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    // What is on disk is the rotated pair, and it still works: a restart keeps the link.
    await stores[0]?.stop();
    stores.length = 0;
    const restarted = await account(dir);
    expect(sim.oauth.check(await restarted.acct.accessToken())).toBeDefined();
  });

  it("turns a revoked login into 'needs re-linking' without retrying in a loop", async () => {
    sim = await startSimulator({tokenTtlSeconds: 30});
    const {acct, lines} = await account();
    await linkByPasting(acct);
    await fetch(`${sim.url}/sim/faults`, {method: "POST", body: JSON.stringify({revokeRefreshTokens: true})});
    acct.invalidate(await acct.accessToken());
    await expect(acct.accessToken()).rejects.toThrow(NEEDS_RELINK_MESSAGE);
    expect(acct.status()).toMatchObject({
      state: "needs_relink",
      reason: "Yoto refused the saved login (invalid_grant)",
    });
    const refreshes = sim.oauth.stats.refreshes;
    await expect(acct.accessToken()).rejects.toThrow(NEEDS_RELINK_MESSAGE);
    expect(sim.oauth.stats.refreshes).toBe(refreshes);
    expect(lines.filter((l) => l.includes("needs re-linking"))).toHaveLength(1);
  });

  it("registers every token it holds for redaction, so no log line can leak one", async () => {
    sim = await startSimulator({tokenTtlSeconds: 30});
    const {acct, lines, log} = await account();
    await linkByPasting(acct);
    const token = await acct.accessToken();
    log.child("anywhere").warning(`careless line with ${token}`);
    expect(lines.at(-1)).toContain("careless line with ***");
    expect(lines.join("\n")).not.toContain(token);
  });
});
