import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {jsonOf} from "../../helpers/http.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping state store disk-full tests: ${cannotMountReason}`);

const put = (url: string, body: unknown) =>
  fetch(url, {method: "PUT", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});

/** The whole service with its data folder on a really full 2 MiB disk. */
describe.skipIf(!canMountDisks)("state store on a full disk", () => {
  let t: TestApp;
  let disk: SmallDisk;
  let root: string;
  let dataDir: string;

  const start = () => startApp([], {dataDir, mediaDir: path.join(root, "media")});
  const health = async () => jsonOf(await fetch(`${t.adminUrl}/api/health`));
  const streamNames = async () =>
    ((await jsonOf(await fetch(`${t.adminUrl}/api/streams`))).streams as Array<{name: string}>).map((s) => s.name);

  beforeAll(async () => {
    root = await tempDir();
    dataDir = path.join(root, "data");
    disk = await mountSmallDisk(dataDir, 2048);
    t = await start();
  });
  afterAll(async () => {
    await t?.stop();
    await disk?.unmount();
  });

  it("refuses every edit with a 507 naming the data folder, shows degraded, and keeps what it acknowledged", async () => {
    const kept = await put(`${t.adminUrl}/api/streams/kept`, {items: []});
    expect(kept.status).toBe(200);
    const filled = await fillDisk(dataDir);
    try {
      for (let n = 0; n < 31; n++) {
        const res = await put(`${t.adminUrl}/api/streams/s${n}`, {items: []});
        expect(res.status).toBe(507);
        expect(await jsonOf(res)).toEqual({
          error: `The disk holding '${dataDir}' is full: free some space and retry`,
          code: "disk_full",
        });
      }
      // Nothing refused is shown as if it were there.
      expect(await streamNames()).toEqual(["kept"]);
      const removal = await fetch(`${t.adminUrl}/api/streams/kept`, {method: "DELETE"});
      expect(removal.status).toBe(507);
      expect(await streamNames()).toEqual(["kept"]);
      const rule = await put(`${t.adminUrl}/api/rules/example_bedtime_volume`, {enabled: false});
      expect(rule.status).toBe(507);
      expect((await jsonOf(await fetch(`${t.adminUrl}/api/rules`))).rules[0]).toMatchObject({
        id: "example_bedtime_volume",
        enabled: true,
      });

      const report = await health();
      expect(report.status).toBe("degraded");
      expect(report.services.store).toMatchObject({
        state: "running",
        degraded: true,
        error: `The disk holding '${dataDir}' is full: free some space and retry`,
      });
      expect(t.logs.filter((l) => l.includes("Could not save 'streams/s0' to the state database"))).toHaveLength(1);

      // A restart while the disk is still full: what was acknowledged is there, nothing else.
      await t.stop();
      t = await start();
      expect(await streamNames()).toEqual(["kept"]);
    } finally {
      await filled.free();
    }
  });

  it("still indexes new media while the index cache cannot be saved: logged, degraded, not failed", async () => {
    const filled = await fillDisk(dataDir);
    try {
      await makeTone(path.join(root, "media", "new.mp3"), {seconds: 1});
      const rescan = await fetch(`${t.adminUrl}/api/library/rescan`, {method: "POST"});
      expect(rescan.status).toBe(200);
      expect((await jsonOf(await fetch(`${t.adminUrl}/api/library`))).items).toMatchObject([{relPath: "new.mp3"}]);
      const report = await health();
      expect(report).toMatchObject({
        status: "degraded",
        services: {library: {state: "running"}, store: {state: "running", degraded: true}},
      });
      expect(t.logs.some((l) => l.includes("Could not save 'library/"))).toBe(true);
    } finally {
      await filled.free();
    }
  });

  it("takes writes again once space is freed, and reports ok after the first one", async () => {
    const res = await put(`${t.adminUrl}/api/streams/after`, {items: []});
    expect(res.status).toBe(200);
    expect((await health()).status).toBe("ok");
    expect((await health()).services.store.degraded).toBeUndefined();
    await t.stop();
    t = await start();
    expect(await streamNames()).toEqual(["after", "kept"]);
    // Its index entry was refused while the disk was full: this start reads the file again.
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/library`))).items).toMatchObject([{relPath: "new.mp3"}]);
  });
});
