import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {Store} from "../../../src/store/store.js";
import {NEEDS_RELINK_MESSAGE, YotoAccount} from "../../../src/yoto/account.js";
import {OAuthClient, SCOPES} from "../../../src/yoto/oauthClient.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let sim: YotoSimulator | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await sim?.stop();
  sim = undefined;
});

/** The family's app at dashboard.yoto.dev with every scope this service asks for ticked but `left`. */
const grantedBut = (...left: string[]) => SCOPES.filter((s) => !left.includes(s));

const CONTROL = {
  scope: "family:devices:control",
  lost: "the players' live state and commands to them (play, pause, skip, seek, volume, sleep timer, night light), which go through Yoto's MQTT broker",
  fix: "Open your app at https://dashboard.yoto.dev/, tick family:devices:control under its scopes, save, then link again: Yoto grants a newly ticked scope only at a new sign-in",
};
const MANAGE_CONTENT = {
  scope: "user:content:manage",
  lost: "making and changing Make Your Own cards (stream, story, announcement and restored cards), and uploading their audio, icons and covers",
  fix: "Open your app at https://dashboard.yoto.dev/, tick user:content:manage under its scopes, save, then link again: Yoto grants a newly ticked scope only at a new sign-in",
};
const LIBRARY = {
  scope: "family:library:view",
  lost: "the family's cards and groups: shop and physical cards in the card pickers, the library's groups, and what a shop card that plays holds",
  fix: "Open your app at https://dashboard.yoto.dev/, tick family:library:view under its scopes, save, then link again: Yoto grants a newly ticked scope only at a new sign-in",
};
const OFFLINE = {
  scope: "offline_access",
  lost: "staying linked: Yoto gives no refresh token, so the link ends when the access token expires and you must sign in again",
  fix: "Open your app at https://dashboard.yoto.dev/, tick offline_access under its scopes, save, then link again: Yoto grants a newly ticked scope only at a new sign-in",
};
const CONTROL_AND_CONTENT_PROBLEM =
  "Yoto granted the link without the scopes family:devices:control, user:content:manage, so these stop working: the players' live state and commands to them (play, pause, skip, seek, volume, sleep timer, night light), which go through Yoto's MQTT broker (family:devices:control); making and changing Make Your Own cards (stream, story, announcement and restored cards), and uploading their audio, icons and covers (user:content:manage). Open your app at https://dashboard.yoto.dev/, tick family:devices:control and user:content:manage under its scopes, save, then link again";
const LIBRARY_PROBLEM =
  "Yoto granted the link without the scope family:library:view, so this stops working: the family's cards and groups: shop and physical cards in the card pickers, the library's groups, and what a shop card that plays holds. Open your app at https://dashboard.yoto.dev/, tick family:library:view under its scopes, save, then link again";
const ALL_GRANTED = "Yoto now grants every scope this service needs";

/** The lines logged at `level` by `namespace`, without their time stamps. */
const logged = (lines: string[], level: string, namespace?: string) => {
  const head = `${level}${namespace ? ` (${namespace})` : ""}: `;
  return lines.map((l) => l.replace(/^\[[^\]]+\] /, "")).filter((l) => l.startsWith(head));
};

/** Force a refresh now, as a 401 from Yoto would. */
async function refreshNow(account: YotoAccount): Promise<string> {
  account.invalidate(await account.accessToken());
  return account.accessToken();
}

/** Link through the admin API, as the panel's Account page does: start, sign in, paste back. */
async function linkOverApi(t: TestApp): Promise<Record<string, unknown>> {
  const post = (path: string, body?: object) =>
    fetch(`${t.adminUrl}${path}`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: body ? JSON.stringify(body) : undefined,
    });
  const {authorizeUrl} = await jsonOf(await post("/api/account/link"));
  const landed = (await fetch(authorizeUrl, {redirect: "manual"})).headers.get("location") as string;
  return jsonOf(await post("/api/account/link/complete", {url: landed}));
}

async function openAccount(opts: {dir?: string} = {}) {
  const lines: string[] = [];
  const log = new Logger({sink: (line) => lines.push(line)});
  const store = new Store(opts.dir ?? (await tempDir()), new Logger({sink: () => {}}));
  await store.start();
  const account = new YotoAccount({oauth: new OAuthClient(sim!.endpoints.authUrl, CLIENT_ID), store, log});
  await account.start();
  const close = async () => {
    await account.stop();
    await store.stop();
  };
  cleanups.push(close);
  return {account, lines, close};
}

describe("a link Yoto granted fewer scopes than asked (since June 2026, only those ticked for the app)", () => {
  it("lists each missing scope on the account API, degrades health, warns once, and clears when a refresh grants them", async () => {
    sim = await startSimulator({grantedScopes: grantedBut("family:devices:control", "user:content:manage")});
    const t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
    cleanups.push(() => t.stop());

    const linked = await linkOverApi(t);
    expect(linked).toMatchObject({state: "linked", missingScopes: [CONTROL, MANAGE_CONTENT]});
    const account = await jsonOf(await fetch(`${t.adminUrl}/api/account`));
    expect(account.missingScopes).toEqual([CONTROL, MANAGE_CONTENT]);
    const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
    expect(health.status).toBe("degraded");
    expect(health.services["yoto-account"]).toMatchObject({degraded: true, error: CONTROL_AND_CONTENT_PROBLEM});
    const overview = await jsonOf(await fetch(`${t.adminUrl}/api/health/overview`));
    expect(overview.attention).toContain(
      "Yoto granted the link without the scopes family:devices:control, user:content:manage: some things do not work until they are ticked for your app at https://dashboard.yoto.dev/ and the account is linked again; see the Account tab.",
    );

    // A renewal that grants the same: no second warning.
    await refreshNow(t.app.account);
    expect(logged(t.logs, "WARNING", "yoto-account")).toEqual([
      `WARNING (yoto-account): ${CONTROL_AND_CONTENT_PROBLEM}`,
    ]);

    // The family ticks them; the next renewal carries them.
    sim.oauth.grantOnly = undefined;
    await refreshNow(t.app.account);
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/account`))).missingScopes).toBeUndefined();
    const after = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
    expect(after.services["yoto-account"].degraded).toBeUndefined();
    expect(after.services["yoto-account"].error).toBeUndefined();
    expect(logged(t.logs, "INFO", "yoto-account")).toContain(`INFO (yoto-account): ${ALL_GRANTED}`);
    expect(logged(t.logs, "WARNING", "yoto-account")).toHaveLength(1);
  }, 30_000);

  it("checks the device-code link too, and keeps saying so after a restart (warning once per start)", async () => {
    sim = await startSimulator({grantedScopes: grantedBut("family:library:view"), deviceCodeIntervalSeconds: 1});
    const dir = await tempDir();
    const first = await openAccount({dir});
    const started = await first.account.beginDeviceLink();
    await fetch(`${sim.url}/activate?user_code=${started.deviceCode?.userCode}`);
    await expect.poll(() => first.account.status().state, {timeout: 5000}).toBe("linked");
    expect(first.account.status().missingScopes).toEqual([LIBRARY]);
    expect(first.account.health()).toMatchObject({degraded: true, error: LIBRARY_PROBLEM});
    expect(logged(first.lines, "WARNING")).toEqual([`WARNING: ${LIBRARY_PROBLEM}`]);
    await first.close();

    const second = await openAccount({dir});
    expect(second.account.status()).toMatchObject({state: "linked", missingScopes: [LIBRARY]});
    expect(logged(second.lines, "WARNING")).toEqual([`WARNING: ${LIBRARY_PROBLEM}`]);
  }, 15_000);

  it("reads the token's scope claim when the answer has no scope field", async () => {
    sim = await startSimulator({grantedScopes: grantedBut("family:library:view"), tellScopes: {answer: false}});
    const {account, lines} = await openAccount();
    await linkAccount(account);
    expect(account.status().missingScopes).toEqual([LIBRARY]);
    expect(logged(lines, "WARNING")).toEqual([`WARNING: ${LIBRARY_PROBLEM}`]);
  });

  it("says nothing when neither the answer nor the token says what was granted", async () => {
    sim = await startSimulator({
      grantedScopes: grantedBut("family:library:view"),
      tellScopes: {answer: false, token: false},
    });
    const {account, lines} = await openAccount();
    await linkAccount(account);
    expect(account.status()).toMatchObject({state: "linked"});
    expect(account.status().missingScopes).toBeUndefined();
    expect(account.health().degraded).toBeUndefined();
    expect(logged(lines, "WARNING")).toEqual([]);
  });

  it("keeps the grant's scopes through a refresh whose answer does not say them", async () => {
    sim = await startSimulator({grantedScopes: grantedBut("family:library:view")});
    const {account, lines} = await openAccount();
    await linkAccount(account);
    sim.oauth.tellScopes.answer = false;
    sim.oauth.tellScopes.token = false;
    await refreshNow(account);
    expect(account.status().missingScopes).toEqual([LIBRARY]);
    expect(logged(lines, "WARNING")).toHaveLength(1);
    expect(logged(lines, "INFO")).not.toContain(`INFO: ${ALL_GRANTED}`);
  });

  it("without offline_access: links, says the link ends with the access token, then needs linking again", async () => {
    sim = await startSimulator({grantedScopes: grantedBut("offline_access")});
    const {account, lines} = await openAccount();
    await linkAccount(account);
    expect(account.status()).toMatchObject({state: "linked", missingScopes: [OFFLINE]});
    expect(sim.oauth.check(await account.accessToken())).toBeDefined();

    // Yoto answers 401 once the access token is gone: nothing can renew it.
    account.invalidate(await account.accessToken());
    await expect(account.accessToken()).rejects.toMatchObject({code: "needs_relink", message: NEEDS_RELINK_MESSAGE});
    const ended =
      "The Yoto link ended when its access token expired: Yoto gave no refresh token, as your app at https://dashboard.yoto.dev/ does not allow offline_access. Tick offline_access under its scopes, save, then link again";
    expect(account.status()).toEqual({state: "needs_relink", reason: ended});
    expect(logged(lines, "ERROR")).toEqual([`ERROR: ${ended}`]);
    expect(sim.oauth.stats.refreshes).toBe(0);
  });
});
