import {describe, expect, it} from "vitest";
import type {DeviceLinkMade} from "../../src/shared/api/devices.js";
import {findChromium} from "../helpers/browser.js";
import {waitFor} from "../helpers/players.js";
import {tabletBrowser} from "../helpers/tabletBrowser.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

describe.skipIf(!chromium.path)("a tablet with Ben's device link at Mia's address", () => {
  it("goes straight to Ben's page: no page error, no dialog, nothing of Mia's asked for", async () => {
    const stack = await tabletBrowser(chromium.path as string);
    const {t, browser, parent} = stack;
    try {
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

      // A parent's `?unlock` at Mia's address goes along to Ben's page, where the PIN is asked for on
      // the page's own pad (and cancelled: the tablet stays Ben's), never Mia's refusal, never a dialog.
      await page.goto(`${t.adminUrl}/child/Mia?unlock`);
      await onBens();
      const pad = page.getByRole("dialog", {name: "Parent PIN"});
      await pad.waitFor();
      await pad.getByRole("button", {name: "Cancel"}).tap();
      await pad.waitFor({state: "detached"});
      expect(dialogs).toEqual([]);
      expect(page.url()).toBe(`${t.adminUrl}/child/Ben`);
      expect(refused).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await stack.close();
    }
  }, 120_000);
});
