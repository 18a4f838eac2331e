import path from "node:path";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import type {DeviceLinkMade} from "../../src/shared/api/devices.js";
import {eventually, findChromium} from "../helpers/browser.js";
import {SHOTS} from "../helpers/panelStack.js";
import {waitFor} from "../helpers/players.js";
import {tabletBrowser} from "../helpers/tabletBrowser.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";

/** Every button of the PIN pad at least 48 px each way, and the pad within the screen (no sideways scroll). */
async function padFits(page: Page, width: number): Promise<void> {
  const pad = page.locator("yss-child-pin");
  const sizes = await pad
    .getByRole("button")
    .evaluateAll((buttons) => buttons.map((b) => [b.textContent?.trim(), b.clientWidth, b.clientHeight] as const));
  expect(sizes.length).toBe(14);
  expect(sizes.filter(([, w, h]) => w < 48 || h < 48)).toEqual([]);
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(width);
}

describe.skipIf(!chromium.path)("the parent PIN on a tablet's page", () => {
  it("is typed on the page's own pad by touch or keys, dots only, the service's refusals in words, never a dialog", async () => {
    const stack = await tabletBrowser(chromium.path as string);
    const {t, browser, parent} = stack;
    try {
      await waitFor(() => t.app.players.list().some((p) => p.id === MINI && p.online), "the Mini online");
      expect((await parent("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf: ["Songs"]})).status).toBe(200);
      expect((await parent("PUT", "api/devices/pin", {pin: "2580"})).status).toBe(200);
      const made = (await (
        await parent("POST", "api/children/Mia/devices", {name: "Wall tablet"})
      ).json()) as DeviceLinkMade;

      const page = await browser.newPage();
      const dialogs: string[] = [];
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      page.on("dialog", async (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        await dialog.dismiss();
      });
      await page.goto(made.url);
      await page.getByRole("button", {name: "Songs"}).waitFor();

      await page.goto(`${t.adminUrl}/child/Mia?unlock`);
      const pad = page.getByRole("dialog", {name: "Parent PIN"});
      await pad.waitFor();
      await padFits(page, 1280);
      const dots = pad.getByRole("img");
      const alert = pad.getByRole("alert");
      // A wrong PIN by touch: four dots, never the digits; the service's words; the dots cleared.
      for (const d of ["1", "3", "7", "9"]) await pad.getByRole("button", {name: d, exact: true}).tap();
      expect(await dots.getAttribute("aria-label")).toBe("4 digits entered");
      expect(await pad.innerText()).not.toMatch(/1\s*3\s*7\s*9/);
      expect(await page.locator("input").count()).toBe(0);
      await page.screenshot({path: path.join(SHOTS, "child-pin-1280x800.png")});
      await pad.getByRole("button", {name: "Unlock"}).tap();
      await eventually(async () => (await alert.innerText()) === "That is not the parent PIN", "the wrong PIN said");
      expect(await dots.getAttribute("aria-label")).toBe("0 digits entered");
      // Delete and Clear take digits back.
      for (const d of ["2", "5"]) await pad.getByRole("button", {name: d, exact: true}).tap();
      await pad.getByRole("button", {name: "Delete the last digit"}).tap();
      expect(await dots.getAttribute("aria-label")).toBe("1 digit entered");
      await pad.getByRole("button", {name: "Clear"}).tap();
      expect(await dots.getAttribute("aria-label")).toBe("0 digits entered");

      // Wrong by keys until the tablet's tries are used (5 a minute): the wait said as the service says it.
      for (let i = 0; i < 4; i++) {
        await page.keyboard.type("0000");
        await page.keyboard.press("Enter");
        await eventually(async () => (await dots.getAttribute("aria-label")) === "0 digits entered", "the try sent");
      }
      await page.keyboard.type("2580");
      await page.keyboard.press("Enter");
      await eventually(async () => (await alert.innerText()).startsWith("Too many PIN tries"), "too many tries said");
      expect(await alert.innerText()).toMatch(
        /^Too many PIN tries on this tablet \(5 a minute\): try again in \d+ s, or unlock the tablet from a parent's signed-in browser$/,
      );
      expect(await page.evaluate<string | null>("localStorage.getItem('yss.device')")).not.toBeNull();
      // Cancel: the pad goes, the tablet keeps its link.
      await pad.getByRole("button", {name: "Cancel"}).tap();
      await pad.waitFor({state: "detached"});
      await page.getByRole("button", {name: "Songs"}).waitFor();

      // A new link (its own count of tries; the address has 10 a minute): the right PIN by touch at 360 px unlocks.
      await page.setViewportSize({width: 360, height: 740});
      const other = (await (
        await parent("POST", "api/children/Mia/devices", {name: "Hall tablet"})
      ).json()) as DeviceLinkMade;
      await page.goto("about:blank");
      await page.goto(other.url);
      await page.getByRole("button", {name: "Songs"}).waitFor();
      await page.goto(`${t.adminUrl}/child/Mia?unlock`);
      await pad.waitFor();
      await padFits(page, 360);
      for (const d of ["2", "5", "8", "0"]) await pad.getByRole("button", {name: d, exact: true}).tap();
      await pad.getByRole("button", {name: "Unlock"}).tap();
      await pad.waitFor({state: "detached"});
      await eventually(
        async () => (await page.evaluate<string | null>("localStorage.getItem('yss.device')")) === null,
        "the tablet let go of its link",
      );
      // At once, and after a reload: the tablet says it is unlocked and what to do, not the shelf it
      // can no longer play from, nor the cloud of a service that is not down.
      const unlocked =
        "Unlocked: this tablet no longer opens Mia's page. Open a new device link on it, or sign in as a parent.";
      for (const when of ["at once", "after a reload"]) {
        if (when !== "at once") await page.reload();
        await page.getByRole("img", {name: unlocked}).waitFor();
        expect(await page.getByRole("img", {name: unlocked}).innerText(), when).toBe(unlocked);
        expect(await page.getByRole("img", {name: "The stories are not reachable"}).count(), when).toBe(0);
        expect(await page.getByRole("button", {name: "Songs"}).count(), when).toBe(0);
      }
      // A new link opened on it: the tablet is Mia's again.
      const again = (await (
        await parent("POST", "api/children/Mia/devices", {name: "Hall tablet again"})
      ).json()) as DeviceLinkMade;
      await page.goto("about:blank");
      await page.goto(again.url);
      await page.getByRole("button", {name: "Songs"}).waitFor();
      expect(await page.getByRole("img", {name: unlocked}).count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 120_000);
});
