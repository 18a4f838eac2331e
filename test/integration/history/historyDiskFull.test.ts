import path from "node:path";
import {afterEach, describe, expect, it, vi} from "vitest";
import {fillDisk} from "../../helpers/fullDisk.js";
import {getJson, historyStack, LIVING, until} from "../../helpers/historyStack.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping listening history disk-full tests: ${cannotMountReason}`);

const NOON = Date.parse("2031-03-04T17:00:00Z");
let disk: SmallDisk | undefined;
// Registered first, so it runs after the app (registered next) has stopped and let go of the disk.
afterEach(async () => {
  await disk?.unmount();
  disk = undefined;
});
const start = historyStack();

/** The whole service with its data folder on a really full 4 MiB disk. */
describe.skipIf(!canMountDisks)("listening history on a full disk", () => {
  it("logs the refused write, reports degraded with the reason, keeps counting, and saves once space is freed", async () => {
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    disk = await mountSmallDisk(dataDir, 4096);
    const {sim, t} = await start(NOON, {dataDir, mediaDir: path.join(root, "media")});
    sim.player(LIVING).insertCard("songs");
    await until(() => t.app.history.health().details.playing === 1, "the session open");
    const filled = await fillDisk(dataDir);
    try {
      vi.setSystemTime(NOON + 40_000);
      await t.app.players.command(LIVING, {command: "pause"});
      const reason = `The disk holding '${dataDir}' is full: free some space and retry`;
      await until(() => t.app.history.health().degraded === true, "the history degraded");
      expect(t.logs).toContainEqual(
        expect.stringContaining(`Could not save a session on 'Living Room' to the listening history: ${reason}`),
      );
      expect((await getJson(t.adminUrl, "/api/health")).body.services.history).toMatchObject({
        state: "running",
        degraded: true,
        error: `Listening history is not being saved: ${reason}`,
      });
      expect(t.app.history.todaySeconds(LIVING)).toBe(40);
    } finally {
      await filled.free();
    }
    await until(() => t.app.history.health().degraded === undefined, "the history saving again");
    const {body} = await getJson(t.adminUrl, "/api/history/sessions");
    expect(body.sessions.map((s: {seconds: number; open: boolean}) => [s.seconds, s.open])).toEqual([[40, false]]);
  });
});
