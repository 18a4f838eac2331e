import {appendFile, rm, utimes, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function mediaFolder() {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  await makeTone(path.join(mediaDir, "lullabies", "one.mp3"), {seconds: 2, title: "Moon Song", frequency: 330});
  await makeTone(path.join(mediaDir, "lullabies", "two.ogg"), {seconds: 3, frequency: 550});
  await makeTone(path.join(mediaDir, "morning", "three.wav"), {seconds: 1, sampleRate: 22050, channels: 1});
  await writeFile(path.join(mediaDir, "notes.txt"), "not audio, not scanned");
  return {dataDir: path.join(root, "data"), mediaDir};
}

describe("library index", () => {
  it("indexes every audio file with metadata and stable ids", async () => {
    const dirs = await mediaFolder();
    t = await startApp([], dirs);
    const {items, total} = t.app.library.list();
    expect(total).toBe(3);
    expect(items.map((i) => [i.relPath, i.title, i.mime, i.channels])).toEqual([
      ["lullabies/one.mp3", "Moon Song", "audio/mpeg", 2],
      ["lullabies/two.ogg", "two", "audio/ogg", 2],
      ["morning/three.wav", "three", "audio/wav", 1],
    ]);
    const wav = items[2]!;
    expect(wav.sampleRate).toBe(22050);
    expect(wav.duration).toBeCloseTo(1, 1);
    expect(items.every((i) => /^[0-9a-f]{16}$/.test(i.id))).toBe(true);
    const ids = items.map((i) => i.id);
    await t.stop();
    t = await startApp([], dirs);
    expect(t.app.library.list().items.map((i) => i.id)).toEqual(ids);
  });

  it("does not re-read unchanged files after a restart, and re-reads only what changed", async () => {
    const dirs = await mediaFolder();
    t = await startApp([], dirs);
    expect(t.app.library.lastScan).toMatchObject({files: 3, probed: 3, cached: 0});
    await t.stop();

    t = await startApp([], dirs);
    expect(t.app.library.lastScan).toMatchObject({files: 3, probed: 0, cached: 3, removed: 0});
    await t.stop();

    const changed = path.join(dirs.mediaDir, "lullabies", "one.mp3");
    const later = new Date(Date.now() + 60_000);
    await utimes(changed, later, later);
    await rm(path.join(dirs.mediaDir, "morning", "three.wav"));
    t = await startApp([], dirs);
    expect(t.app.library.lastScan).toMatchObject({files: 2, probed: 1, cached: 1, removed: 1});
  });

  it("searches by every word across title, tags and path", async () => {
    t = await startApp([], await mediaFolder());
    expect(t.app.library.list({q: "moon"}).items.map((i) => i.relPath)).toEqual(["lullabies/one.mp3"]);
    expect(t.app.library.list({q: "lullabies two"}).items.map((i) => i.relPath)).toEqual(["lullabies/two.ogg"]);
    expect(t.app.library.list({q: "LULLABIES"}).total).toBe(2);
    expect(t.app.library.list({q: "nothing"}).total).toBe(0);
    const page = await jsonOf(await fetch(`${t.adminUrl}/api/library?q=lullabies&limit=1&offset=1`));
    expect(page).toMatchObject({total: 2, limit: 1, offset: 1});
    expect(page.items.map((i: {relPath: string}) => i.relPath)).toEqual(["lullabies/two.ogg"]);
  });

  it("skips a corrupt file with a warning and does not re-read it while it is unchanged", async () => {
    const dirs = await mediaFolder();
    const broken = path.join(dirs.mediaDir, "broken.mp3");
    await writeFile(broken, Buffer.alloc(4096, 7));
    t = await startApp([], dirs);
    expect(t.app.library.list().total).toBe(3);
    expect(t.app.library.lastScan).toMatchObject({files: 4, failed: 1});
    expect(t.logs.some((l) => l.includes("WARNING (library): Skipping 'broken.mp3': "))).toBe(true);
    const stats = await t.app.library.scan();
    expect(stats).toMatchObject({probed: 0, failed: 1});
    const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
    expect(health.services.library.details).toMatchObject({items: 3, unreadable: 1});
  });

  it("picks up files added to a watched media folder", async () => {
    const dirs = await mediaFolder();
    t = await startApp([], dirs);
    await makeTone(path.join(dirs.mediaDir, "new", "late.mp3"), {seconds: 1, title: "Late Arrival"});
    await appendFile(path.join(dirs.mediaDir, "notes.txt"), "touch");
    await expect.poll(() => t!.app.library.list({q: "late arrival"}).total, {timeout: 8000, interval: 100}).toBe(1);
    // Each folder is watched on its own: a folder made after start, two levels down, and a file
    // rewritten in a folder that existed at start are both seen without a rescan request.
    await makeTone(path.join(dirs.mediaDir, "new", "deeper", "later.mp3"), {seconds: 1, title: "Even Later"});
    await makeTone(path.join(dirs.mediaDir, "lullabies", "one.mp3"), {seconds: 1, title: "Sun Song", frequency: 440});
    await expect.poll(() => t!.app.library.list({q: "even later"}).total, {timeout: 8000, interval: 100}).toBe(1);
    await expect.poll(() => t!.app.library.list({q: "sun song"}).total, {timeout: 8000, interval: 100}).toBe(1);
    expect(t.app.library.list({q: "moon song"}).total).toBe(0);
  });

  it("keeps media folders read-only: deleting one of their items is refused with the reason", async () => {
    t = await startApp([], await mediaFolder());
    const item = t.app.library.list({q: "moon"}).items[0]!;
    const res = await fetch(`${t.adminUrl}/api/library/${item.id}`, {method: "DELETE"});
    expect(res.status).toBe(409);
    expect(await jsonOf(res)).toEqual({
      error: "'lullabies/one.mp3' is in a read-only media folder; delete it from that folder instead",
      code: "read_only",
    });
    expect(t.app.library.get(item.id)).toBeDefined();
  });

  it("starts with a missing media folder and says how to fix it", async () => {
    const root = await tempDir();
    t = await startApp([], {dataDir: path.join(root, "data"), mediaDir: path.join(root, "missing")});
    expect(t.app.library.list().total).toBe(0);
    expect(
      t.logs.some((l) =>
        l.includes(`Media folder '${path.join(root, "missing")}' does not exist: create it and add audio`),
      ),
    ).toBe(true);
  });
});
