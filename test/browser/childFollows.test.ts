import path from "node:path";
import {describe, expect, it} from "vitest";
import type {DeviceLinkMade} from "../../src/shared/api/devices.js";
import type {ChildrenList, ChildView} from "../../src/shared/api/family.js";
import {eventually, findChromium} from "../helpers/browser.js";
import {SHOTS} from "../helpers/panelStack.js";
import {waitFor} from "../helpers/players.js";
import {tabletBrowser} from "../helpers/tabletBrowser.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";
/** What the issue promises: each change on the tablet within 5 s, by its live events alone. */
const LIVE_MS = 5_000;
const WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

describe.skipIf(!chromium.path)("the child's page on a tablet with only a device link follows", () => {
  it("a remote resume, quiet starting, a parent's Allow and Not tonight, each within 5 s; a revoke shows its own picture", async () => {
    const stack = await tabletBrowser(chromium.path as string);
    const {sim, t, browser, parent} = stack;
    try {
      await waitFor(() => t.app.players.list().some((p) => p.id === MINI && p.online), "the Mini online");
      const {timeZone} = (await (await parent("GET", "api/children")).json()) as ChildrenList;
      const clock = (ms: number) =>
        new Intl.DateTimeFormat("en-GB", {hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone}).format(
          Date.now() + ms,
        );
      const plan = {players: ["Bedroom Mini"], shelf: ["Songs"]};
      expect((await parent("PUT", "api/children/Mia", plan)).status).toBe(200);
      const made = (await (
        await parent("POST", "api/children/Mia/devices", {name: "Wall tablet"})
      ).json()) as DeviceLinkMade;

      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      await page.goto(made.url);
      const songs = page.getByRole("button", {name: "Songs"});
      await songs.waitFor();
      await songs.tap();
      await page.getByRole("button", {name: "Pause"}).waitFor();

      // Paused by a parent, resumed from the cloud (the Yoto app): the tablet follows each.
      const paused = await parent("POST", `api/players/${MINI}/commands`, {command: "pause"});
      expect(paused.status).toBe(200);
      await page.getByRole("button", {name: "Play"}).waitFor({timeout: LIVE_MS});
      expect(await songs.getAttribute("aria-pressed")).toBe("false");
      expect(sim.player(MINI).resume()).toBe(true);
      await page.getByRole("button", {name: "Pause"}).waitFor({timeout: LIVE_MS});
      await eventually(async () => (await songs.getAttribute("aria-pressed")) === "true", "Songs ringed again");
      await page.screenshot({path: path.join(SHOTS, "child-follows-resumed-1280x800.png")});

      // Quiet hours started by a parent: the tablet sleeps until then, and wakes when they end.
      const until = clock(3 * 3_600_000);
      expect((await parent("POST", `api/players/${MINI}/quiet`, {until})).status).toBe(200);
      const sleep = page.locator("yss-child-sleep section");
      await sleep.waitFor({timeout: LIVE_MS});
      expect(await sleep.getAttribute("aria-label")).toBe(`Sleeping until ${until.replace(/^0/, "")}`);
      expect((await parent("DELETE", `api/players/${MINI}/quiet`)).status).toBe(200);
      await songs.waitFor({timeout: LIVE_MS});

      // Bedtime a minute ago: one more story, asked on the tablet, allowed by a parent.
      const night = {bedtime: clock(-60_000), wake: clock(-3_600_000)};
      const schedule = Object.fromEntries(WEEK.map((d) => [d, night]));
      expect((await parent("PUT", "api/children/Mia", {...plan, schedule})).status).toBe(200);
      await sleep.waitFor({timeout: LIVE_MS});
      expect(await sleep.getAttribute("aria-label")).toBe(`Sleeping until ${night.wake.replace(/^0/, "")}`);
      await page.getByRole("button", {name: "One more story"}).tap();
      await page.getByRole("button", {name: "Asked for one more story: waiting"}).waitFor();
      await page.screenshot({path: path.join(SHOTS, "child-follows-asked-1280x800.png")});
      await eventually(
        async () => ((await (await parent("GET", "api/children/Mia")).json()) as ChildView).request !== null,
        "Mia's request",
      );
      expect((await parent("POST", "api/children/Mia/request/allow")).status).toBe(200);
      await songs.waitFor({timeout: LIVE_MS});
      expect(await sleep.count()).toBe(0);
      await page.screenshot({path: path.join(SHOTS, "child-follows-allowed-1280x800.png")});

      // Ben asks on the same tablet, linked to him now; a parent's Not tonight: the moon, nothing to press.
      expect(
        (await parent("PUT", "api/children/Ben", {players: ["Living Room"], shelf: ["Songs"], schedule})).status,
      ).toBe(200);
      const bens = (await (
        await parent("POST", "api/children/Ben/devices", {name: "Wall tablet"})
      ).json()) as DeviceLinkMade;
      await page.goto(bens.url);
      await page.getByRole("button", {name: "One more story"}).tap();
      const waiting = page.getByRole("button", {name: "Asked for one more story: waiting"});
      await waiting.waitFor();
      await eventually(
        async () => ((await (await parent("GET", "api/children/Ben")).json()) as ChildView).request !== null,
        "Ben's request",
      );
      expect((await parent("POST", "api/children/Ben/request/not_tonight")).status).toBe(200);
      await waiting.waitFor({state: "detached", timeout: LIVE_MS});
      expect(await sleep.getAttribute("aria-label")).toBe(`Sleeping until ${night.wake.replace(/^0/, "")}`);
      expect(await page.getByRole("button", {name: "One more story"}).count()).toBe(0);

      // Revoked: its own picture (not the fault's cloud), and the tablet forgets the link.
      expect((await parent("DELETE", `api/devices/${bens.link.id}`)).status).toBe(200);
      const gone = page.getByRole("img", {name: "This tablet's link was revoked. A parent makes a new one."});
      await gone.waitFor({timeout: LIVE_MS});
      expect(await page.getByRole("img", {name: "The stories are not reachable"}).count()).toBe(0);
      await eventually(
        async () => (await page.evaluate<string | null>("localStorage.getItem('yss.device')")) === null,
        "the tablet forgot its link",
      );
      await page.screenshot({path: path.join(SHOTS, "child-link-revoked-1280x800.png")});

      // Reloaded by hand (or by the kiosk browser): still revoked, in its own words, nothing asked for.
      const asked: string[] = [];
      page.on("request", (req) => {
        if (new URL(req.url()).pathname.startsWith("/api/")) asked.push(new URL(req.url()).pathname);
      });
      for (const address of ["child/Ben", "child/Mia"]) {
        await page.goto(`${t.adminUrl}/${address}`);
        await gone.waitFor({timeout: LIVE_MS});
        expect(await page.getByRole("img", {name: "The stories are not reachable"}).count()).toBe(0);
      }
      await page.reload();
      await gone.waitFor({timeout: LIVE_MS});
      expect(asked).toEqual([]);
      // A new link opened on it: the tablet is Mia's again.
      const renewed = (await (
        await parent("POST", "api/children/Mia/devices", {name: "Wall tablet"})
      ).json()) as DeviceLinkMade;
      await page.goto("about:blank");
      await page.goto(renewed.url);
      await songs.waitFor({timeout: LIVE_MS});
      await page.reload();
      await songs.waitFor({timeout: LIVE_MS});
      expect(await gone.count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 120_000);
});
