import {chromium as playwright} from "playwright-core";
import {describe, expect, it} from "vitest";
import type {DeviceLinkMade} from "../../src/shared/api/devices.js";
import {startApp} from "../helpers/app.js";
import {eventually, findChromium} from "../helpers/browser.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../helpers/cloud.js";
import {waitFor} from "../helpers/players.js";
import {tempDir} from "../helpers/tmp.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const TOKEN = "a-long-enough-api-token-1234";

describe.skipIf(!chromium.path)("a tablet with Ben's device link at Mia's address", () => {
  it("goes straight to Ben's page: no page error, no dialog, nothing of Mia's asked for", async () => {
    const sim = await startSimulator();
    addSongsCard(sim);
    // Loopback off: the browser on 127.0.0.1 is a tablet on the home network, with no parent's key.
    const t = await startApp(["--yoto_client_id", CLIENT_ID, "--api_token", TOKEN], {
      cloud: sim.endpoints,
      republishDelayMs: () => 0,
      adminAccess: {allowLoopback: false, ingressPeers: []},
    });
    const profile = await tempDir("yss-tablet-");
    const browser = await playwright.launchPersistentContext(profile, {
      executablePath: chromium.path as string,
      headless: true,
      hasTouch: true,
      viewport: {width: 1280, height: 800},
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    try {
      const parent = (method: string, pathname: string, body?: unknown) =>
        fetch(`${t.adminUrl}/${pathname}`, {
          method,
          headers: {Authorization: `Bearer ${TOKEN}`, ...(body ? {"Content-Type": "application/json"} : {})},
          body: body ? JSON.stringify(body) : undefined,
        });
      await linkAccount(t.app.account);
      await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
      expect((await parent("PUT", "api/children/Mia", {players: ["Bedroom Mini"]})).status).toBe(200);
      expect((await parent("PUT", "api/children/Ben", {players: ["Living Room"], shelf: ["Songs"]})).status).toBe(200);
      const ben = (await (
        await parent("POST", "api/children/Ben/devices", {name: "Hall tablet"})
      ).json()) as DeviceLinkMade;

      const page = await browser.newPage();
      const errors: string[] = [];
      const dialogs: string[] = [];
      const refused: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      page.on("dialog", async (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        await dialog.dismiss();
      });
      page.on("response", (res) => {
        if (res.status() >= 400)
          refused.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
      });
      const onBens = async () => {
        await page.getByRole("button", {name: "Songs"}).waitFor();
        expect(page.url()).toBe(`${t.adminUrl}/child/Ben`);
      };

      // A fresh tablet given Ben's credential at Mia's address: the one refusal names Ben, whose
      // page it goes to, and whose link it keeps.
      await page.goto(`${t.adminUrl}/child/Mia#device=${ben.token}`);
      await onBens();
      expect(JSON.parse((await page.evaluate<string | null>("localStorage.getItem('yss.device')")) ?? "null")).toEqual({
        token: ben.token,
        child: "Ben",
      });
      expect(refused.splice(0)).toEqual(["403 GET /api/children/Mia/shelf"]);
      // The tablet, holding Ben's link, opened at Mia's address with it again, then without it, then
      // at the children's list: Ben's page before anything of Mia's is asked for.
      for (const address of [`child/Mia#device=${ben.token}`, "child/Mia", "child/mia/", "child/"]) {
        await page.goto("about:blank");
        await page.goto(`${t.adminUrl}/${address}`);
        await onBens();
      }
      expect(refused).toEqual([]);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);

      // A parent's `?unlock` at Mia's address goes along to Ben's page, where the PIN is asked for
      // (and dismissed: the tablet stays Ben's), never Mia's refusal in an alert.
      await page.goto(`${t.adminUrl}/child/Mia?unlock`);
      await onBens();
      await eventually(async () => dialogs.length > 0, "the PIN asked for");
      expect(dialogs).toEqual(["prompt: Parent PIN"]);
      expect(page.url()).toBe(`${t.adminUrl}/child/Ben`);
      expect(refused).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await t.stop();
      await sim.stop();
    }
  }, 120_000);
});
