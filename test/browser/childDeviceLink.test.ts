import path from "node:path";
import {describe, expect, it} from "vitest";
import type {DeviceLinkMade} from "../../src/shared/api/devices.js";
import {eventually, findChromium} from "../helpers/browser.js";
import {SHOTS} from "../helpers/panelStack.js";
import {waitFor} from "../helpers/players.js";
import {tabletBrowser} from "../helpers/tabletBrowser.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";

describe.skipIf(!chromium.path)("the child's page on a tablet with only a device link", () => {
  it("plays with a tap, reaches nothing of the parents', unlocks only with the parent PIN, and stops when revoked", async () => {
    const stack = await tabletBrowser(chromium.path as string);
    const {sim, t, browser, parent} = stack;
    try {
      await waitFor(() => t.app.players.list().some((p) => p.id === MINI && p.online), "the Mini online");
      expect((await parent("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf: ["Songs"]})).status).toBe(200);
      const made = (await (
        await parent("POST", "api/children/Mia/devices", {name: "Wall tablet"})
      ).json()) as DeviceLinkMade;

      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      await page.goto(made.url);
      const songs = page.getByRole("button", {name: "Songs"});
      await songs.waitFor();
      // The credential is kept by the tablet and gone from the address.
      expect(page.url()).toBe(`${t.adminUrl}/child/Mia`);
      await page.screenshot({path: path.join(SHOTS, "child-device-1280x800.png")});
      await songs.tap();
      await waitFor(() => sim.player(MINI).eventsSnapshot().cardId === "songs", "Songs on the Mini");
      await page.setViewportSize({width: 800, height: 1280});
      await page.screenshot({path: path.join(SHOTS, "child-device-800x1280.png")});

      // From the page's own origin, with its credential or without: nothing of the parents'.
      const tried = await page.evaluate(async (token) => {
        const out: Array<[string, number]> = [];
        const calls: Array<[string, string]> = [
          ["GET", "api/mqtt"],
          ["GET", "api/children"],
          ["PUT", "api/children/Mia"],
          ["GET", "api/players"],
          ["GET", "api/children/Mia/devices"],
          ["POST", "api/devices/pin"],
        ];
        for (const [method, url] of calls)
          for (const auth of [`Device ${token}`, undefined]) {
            const res = await fetch(url, {
              method,
              headers: {"Content-Type": "application/json", ...(auth ? {Authorization: auth} : {})},
              body: method === "GET" ? undefined : "{}",
            });
            out.push([`${method} ${url}${auth ? " (device)" : ""}`, res.status]);
          }
        return out;
      }, made.token);
      expect(tried.filter(([, status]) => status !== 403)).toEqual([]);

      // Unlocking asks for the parent PIN on the page's pad; without one set, the page says how.
      const dialogs: string[] = [];
      page.on("dialog", async (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        await dialog.dismiss();
      });
      const pad = page.getByRole("dialog", {name: "Parent PIN"});
      const typePin = async (pin: string) => {
        for (const d of pin) await pad.getByRole("button", {name: d, exact: true}).tap();
        await pad.getByRole("button", {name: "Unlock"}).tap();
      };
      await page.goto(`${t.adminUrl}/child/Mia?unlock`);
      await typePin("1111");
      await eventually(async () => (await pad.getByRole("alert").innerText()) !== "", "the answer said");
      expect(await pad.getByRole("alert").innerText()).toBe(
        "No parent PIN is set: set one on the Family page, or unlock the tablet from a parent's signed-in browser",
      );
      expect((await parent("PUT", "api/devices/pin", {pin: "2580"})).status).toBe(200);
      await page.goto(`${t.adminUrl}/child/Mia?unlock`);
      await typePin("2580");
      await pad.waitFor({state: "detached"});
      await eventually(
        async () => (await page.evaluate<string | null>("localStorage.getItem('yss.device')")) === null,
        "the tablet let go of its link",
      );
      expect(dialogs).toEqual([]);

      // A new link, then revoked: the page stops at once, its covers gone.
      const again = (await (
        await parent("POST", "api/children/Mia/devices", {name: "Wall tablet"})
      ).json()) as DeviceLinkMade;
      await page.goto(again.url);
      await page.getByRole("button", {name: "Songs"}).waitFor();
      const revoked = await parent("DELETE", `api/devices/${again.link.id}`);
      expect(revoked.status).toBe(200);
      const refused = await page.evaluate(
        async (token) =>
          (
            await fetch("api/children/Mia/shelf/play", {
              method: "POST",
              headers: {"Content-Type": "application/json", Authorization: `Device ${token}`},
              body: JSON.stringify({id: "x"}),
            })
          ).status,
        again.token,
      );
      expect(refused).toBe(401);
      await page.reload();
      await eventually(async () => (await page.getByRole("button", {name: "Songs"}).count()) === 0, "the covers gone");
      expect(errors).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 120_000);
});
