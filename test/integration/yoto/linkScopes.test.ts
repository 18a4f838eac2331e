import {readFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {Store} from "../../../src/store/store.js";
import {YotoAccount} from "../../../src/yoto/account.js";
import {OAuthClient, SCOPES} from "../../../src/yoto/oauthClient.js";
import {CLIENT_ID, startSimulator} from "../../helpers/cloud.js";
import {tempDir} from "../../helpers/tmp.js";

let sim: YotoSimulator | undefined;
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.stop()));
  await sim?.stop();
  sim = undefined;
});

async function account() {
  const store = new Store(await tempDir(), new Logger({sink: () => {}}));
  await store.start();
  stores.push(store);
  const acct = new YotoAccount({
    oauth: new OAuthClient(sim!.endpoints.authUrl, CLIENT_ID),
    store,
    log: new Logger({sink: () => {}}),
  });
  await acct.start();
  return acct;
}

/** The family's app at dashboard.yoto.dev with every scope this service asks for ticked but `left`. */
const allowedBut = (...left: string[]) => SCOPES.filter((s) => !left.includes(s));

describe("linking when the family's Yoto app does not allow a scope (mandatory since June 2026)", () => {
  it("says which scope to tick when Yoto sends the browser back with invalid_scope", async () => {
    sim = await startSimulator({allowedScopes: allowedBut("family:devices:manage")});
    const acct = await account();
    const {authorizeUrl} = acct.beginLink();
    const landed = (await fetch(authorizeUrl, {redirect: "manual"})).headers.get("location") as string;
    expect(landed).toMatch(/^http:\/\/127\.0\.0\.1:8787\/callback\?error=invalid_scope&error_description=/);
    await expect(acct.completeLink(landed)).rejects.toMatchObject({
      code: "scope_refused",
      message:
        "Yoto refused the sign-in: your app at https://dashboard.yoto.dev/ does not allow the scope family:devices:manage. Open the app there, tick it under its scopes, save, then start linking again",
    });
    expect(acct.status().state).toBe("unlinked");
  });

  it("names every scope Yoto names, through the device-code flow too", async () => {
    sim = await startSimulator({allowedScopes: allowedBut("family:library:view", "user:content:manage")});
    const acct = await account();
    await expect(acct.beginDeviceLink()).rejects.toMatchObject({
      code: "scope_refused",
      message:
        "Yoto refused the sign-in: your app at https://dashboard.yoto.dev/ does not allow the scopes family:library:view, user:content:manage. Open the app there, tick them under its scopes, save, then start linking again",
    });
  });

  it("links once every scope is allowed, asking for exactly the scopes the README lists", async () => {
    sim = await startSimulator({allowedScopes: [...SCOPES]});
    const acct = await account();
    const {authorizeUrl} = acct.beginLink();
    expect(new URL(authorizeUrl).searchParams.get("scope")?.split(" ")).toEqual([...SCOPES]);
    const landed = (await fetch(authorizeUrl, {redirect: "manual"})).headers.get("location") as string;
    await acct.completeLink(landed);
    expect(acct.status().state).toBe("linked");
    // The README's and DOCS's linking steps name each one to tick.
    for (const file of ["README.md", "DOCS.md"]) {
      const text = (await readFile(path.join(PACKAGE_ROOT, file), "utf8")).replace(/\s+/g, " ");
      const step = text.slice(text.indexOf("egister an app at <https://dashboard.yoto.dev/>")).slice(0, 1200);
      expect([file, SCOPES.filter((s) => !step.includes(`\`${s}\``))]).toEqual([file, []]);
    }
  });
});
