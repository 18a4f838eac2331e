import {spawn} from "node:child_process";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {Store} from "../../../src/store/store.js";
import {NEEDS_RELINK_MESSAGE, YotoAccount} from "../../../src/yoto/account.js";
import {OAuthClient} from "../../../src/yoto/oauthClient.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {nodeScript} from "../../helpers/compiled.js";
import {tempDir} from "../../helpers/tmp.js";

let sim: YotoSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** Open the account saved in `dir`, run `fn`, close it again. */
async function withAccount<T>(dir: string, fn: (account: YotoAccount) => Promise<T>): Promise<T> {
  const log = new Logger({sink: () => {}});
  const store = new Store(dir, log);
  await store.start();
  const account = new YotoAccount({oauth: new OAuthClient(sim!.endpoints.authUrl, CLIENT_ID), store, log});
  await account.start();
  try {
    return await fn(account);
  } finally {
    await account.stop();
    await store.stop();
  }
}

async function linkInto(dir: string): Promise<void> {
  await withAccount(dir, linkAccount);
}

/** Run a refresh in another process and SIGKILL it after Yoto rotated the token, before it could save. */
async function refreshAndKill(dir: string): Promise<{signal: string | null; output: string}> {
  const child = spawn(
    process.execPath,
    [...nodeScript("test/helpers/refreshChild.ts"), sim!.endpoints.authUrl, CLIENT_ID, dir],
    {cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "inherit"]},
  );
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  sim!.oauth.onRefresh = () => child.kill("SIGKILL");
  const signal = await new Promise<string | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
  sim!.oauth.onRefresh = undefined;
  return {signal, output};
}

describe("refresh-token rotation and a crash at the worst moment", () => {
  it("a kill -9 between Yoto's rotation and our save loses nothing: the next start refreshes and the chain goes on", async () => {
    sim = await startSimulator({refreshReuseSeconds: 30});
    const dir = await tempDir();
    await linkInto(dir);
    const killed = await refreshAndKill(dir);
    expect(killed).toEqual({signal: "SIGKILL", output: ""});
    expect(sim.oauth.stats.refreshes).toBe(1);

    const token = await withAccount(dir, async (account) => {
      expect(account.status().state).toBe("linked");
      account.invalidate(await account.accessToken());
      return account.accessToken();
    });
    expect(sim.oauth.check(token)).toBeDefined();
    // The token saved by that recovery rotates normally: the link is intact, not living on the grace period.
    const again = await withAccount(dir, async (account) => {
      account.invalidate(await account.accessToken());
      return account.accessToken();
    });
    expect(sim.oauth.check(again)).toBeDefined();
    expect(sim.oauth.stats).toMatchObject({refreshes: 3, reuseDetected: 0});
  }, 30_000);

  it("without a reuse interval the same crash leaves a clear 'needs re-linking', not a crash loop", async () => {
    sim = await startSimulator({refreshReuseSeconds: 0});
    const dir = await tempDir();
    await linkInto(dir);
    await refreshAndKill(dir);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await withAccount(dir, async (account) => {
      account.invalidate(await account.accessToken());
      await expect(account.accessToken()).rejects.toThrow(NEEDS_RELINK_MESSAGE);
      expect(account.status()).toMatchObject({
        state: "needs_relink",
        reason: "Yoto refused the saved login (invalid_grant)",
      });
    });
    expect(sim.oauth.stats.reuseDetected).toBe(1);
  }, 30_000);
});
