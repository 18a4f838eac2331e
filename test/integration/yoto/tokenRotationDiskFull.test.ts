import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {Store} from "../../../src/store/store.js";
import {YotoAccount} from "../../../src/yoto/account.js";
import {OAuthClient} from "../../../src/yoto/oauthClient.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {jsonOf} from "../../helpers/http.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping token rotation disk-full tests: ${cannotMountReason}`);

let sim: YotoSimulator | undefined;
let disk: SmallDisk | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await sim?.stop();
  await disk?.unmount();
  sim = disk = undefined;
});

/** A data folder on a 1 MiB disk of its own. */
async function smallDataDir(): Promise<string> {
  const dir = path.join(await tempDir(), "data");
  disk = await mountSmallDisk(dir, 1024);
  return dir;
}

const unsavedReason = (dir: string) =>
  `Yoto renewed the login but it could not be saved (The disk holding '${dir}' is full: free some space and retry). The new login is kept in memory and saved as soon as that works; a restart before then may need the account linked again`;

/** A store and an account on `dir`, as the service wires them. */
async function openAccount(dir: string) {
  const lines: string[] = [];
  const log = new Logger({sink: (line) => lines.push(line)});
  const store = new Store(dir, log.child("store"));
  await store.start();
  const account = new YotoAccount({
    oauth: new OAuthClient(sim!.endpoints.authUrl, CLIENT_ID),
    store,
    log: log.child("yoto-account"),
    unsavedRetryMs: 50,
  });
  await account.start();
  const close = async () => {
    await account.stop();
    await store.stop();
  };
  cleanups.push(close);
  return {account, store, lines, close};
}

/** Force a refresh now, as a 401 from Yoto would; Yoto rotates the refresh token. */
async function refreshNow(account: YotoAccount): Promise<string> {
  account.invalidate(await account.accessToken());
  return account.accessToken();
}

describe.skipIf(!canMountDisks)("refresh-token rotation on a full disk", () => {
  it("does not pass the unsaved rotation off as saved: says so, shows degraded, and saves it once space is freed", async () => {
    // No reuse interval: once rotated, the saved refresh token is dead, so the new one must reach the disk.
    sim = await startSimulator({refreshReuseSeconds: 0});
    const dir = await smallDataDir();
    const first = await openAccount(dir);
    await linkAccount(first.account);
    const filled = await fillDisk(dir);

    const token = await refreshNow(first.account);
    expect(sim.oauth.check(token)).toBeDefined();
    expect(first.account.status()).toMatchObject({
      state: "linked",
      reason: unsavedReason(dir),
      unsavedSince: expect.any(String),
    });
    expect(first.account.health()).toMatchObject({degraded: true, error: unsavedReason(dir)});
    expect(first.store.health()).toMatchObject({degraded: true});
    expect(first.lines.some((l) => l.includes(unsavedReason(dir)))).toBe(true);

    await filled.free();
    await waitFor(() => first.account.status().unsavedSince === undefined, "the renewed login saved");
    expect(first.account.status().reason).toBeUndefined();
    expect(first.account.health().degraded).toBeUndefined();
    expect(first.lines.some((l) => l.includes("The renewed Yoto login is saved now"))).toBe(true);
    await first.close();

    // What the restart reads is the rotated login: Yoto takes it (the spent one would be refused).
    const second = await openAccount(dir);
    expect(second.account.status().state).toBe("linked");
    expect(sim.oauth.check(await refreshNow(second.account))).toBeDefined();
    expect(sim.oauth.stats).toMatchObject({refreshes: 2, reuseDetected: 0});
  }, 30_000);

  it("stopped while still full: warns, and the saved login still works where Yoto honours it for a while", async () => {
    sim = await startSimulator({refreshReuseSeconds: 60});
    const dir = await smallDataDir();
    const first = await openAccount(dir);
    await linkAccount(first.account);
    const filled = await fillDisk(dir);
    await refreshNow(first.account);
    await first.close();
    expect(first.lines.some((l) => l.includes("Stopping with a renewed Yoto login that could not be saved"))).toBe(
      true,
    );
    await filled.free();

    const second = await openAccount(dir);
    expect(second.account.status().state).toBe("linked");
    expect(sim.oauth.check(await refreshNow(second.account))).toBeDefined();
    expect(sim.oauth.stats.reuseDetected).toBe(0);
  }, 30_000);

  it("says so over the API, in /api/health and on the Home Assistant account entity, and keeps the link across a restart", async () => {
    sim = await startSimulator({refreshReuseSeconds: 0});
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    disk = await mountSmallDisk(dataDir, 2048);
    const start = () =>
      startApp(["--yoto_client_id", CLIENT_ID], {dataDir, mediaDir: path.join(root, "media"), cloud: sim!.endpoints});
    let t: TestApp = await start();
    cleanups.push(() => t.stop());
    const watcher = await watchBroker(t.app.broker.connection(), ["yoto/bridge/info", "homeassistant/#"]);
    cleanups.push(() => watcher.close());
    await linkAccount(t.app.account);
    const filled = await fillDisk(dataDir);

    await refreshNow(t.app.account);
    const account = await jsonOf(await fetch(`${t.adminUrl}/api/account`));
    expect(account).toMatchObject({state: "linked", reason: unsavedReason(dataDir), unsavedSince: expect.any(String)});
    const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
    expect(health.status).toBe("degraded");
    expect(health.services["yoto-account"]).toMatchObject({degraded: true, error: unsavedReason(dataDir)});
    expect(health.services.store).toMatchObject({degraded: true});
    await waitFor(() => watcher.lastJson("yoto/bridge/info")?.account_reason != null, "the bridge info");
    expect(watcher.lastJson("yoto/bridge/info")).toMatchObject({
      account: "linked",
      account_reason: unsavedReason(dataDir),
      account_unsaved_since: account.unsavedSince,
    });
    const bridge = watcher.lastJson("homeassistant/device/yoto_bridge_yoto/config");
    expect(bridge.components.account).toMatchObject({
      json_attributes_topic: "yoto/bridge/info",
      json_attributes_template: expect.stringContaining("value_json.account_reason"),
    });

    // Space comes back and the add-on restarts before the retry: stopping saves the login.
    await filled.free();
    await t.stop();
    t = await start();
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/account`))).state).toBe("linked");
    expect(sim.oauth.check(await refreshNow(t.app.account))).toBeDefined();
    expect(sim.oauth.stats.reuseDetected).toBe(0);
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/health`))).status).toBe("ok");
  }, 30_000);
});
