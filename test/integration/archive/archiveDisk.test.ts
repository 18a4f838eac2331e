import {execFile} from "node:child_process";
import {createHash} from "node:crypto";
import {readdir, readFile, stat, truncate} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {afterEach, describe, expect, it} from "vitest";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack, toneBytes} from "../../helpers/familyArchive.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {call} from "../../helpers/http.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping archive disk-full tests: ${cannotMountReason}`);

let stack: ArchiveStack | undefined;
let disk: SmallDisk | undefined;
afterEach(async () => {
  // The app lets go of the disk before it is unmounted.
  await stack?.stop();
  await disk?.unmount();
  stack = disk = undefined;
});

/** The archive on a really full disk: `<data>/archive` is a 1 MiB tmpfs. */
describe.skipIf(!canMountDisks)("the family archive when its disk fills", () => {
  it("answers 507 naming the archive's folder, lists no card, and leaves nothing half-written", async () => {
    const root = await tempDir("yss-archive-disk-");
    const archiveDir = path.join(root, "data", "archive");
    disk = await mountSmallDisk(archiveDir, 1024);
    stack = await archiveStack([], {root});
    const {sim, api} = stack;
    // 70 s of 64 kb/s MP3 is 560 KB: two of them, one card, do not fit in 1 MiB.
    await addFamilyCard(sim, "big11", "Long stories", [
      {title: "One", seconds: 70, frequency: 440},
      {title: "Two", seconds: 70, frequency: 440, variant: "two"},
    ]);
    await addFamilyCard(sim, "big22", "More stories", [
      {title: "Three", seconds: 70, frequency: 440, variant: "three"},
    ]);

    const {status, run} = await archiveNow(api);
    expect(status).toBe(507);
    expect(run).toMatchObject({
      state: "failed",
      errorStatus: 507,
      error: `The disk holding '${archiveDir}' is full: free some space and retry`,
    });
    expect((await call("GET", `${api}/archive`)).body.cards).toEqual([]);
    expect(await readdir(path.join(archiveDir, ".incoming"))).toEqual([]);
    expect(await readdir(path.join(archiveDir, "cards"))).toEqual([]);
    // What was kept of the files, if anything, is whole: each named by the sha of its bytes; the
    // run counts those bytes and no byte of the downloads it threw away.
    const files = path.join(archiveDir, "files");
    let keptBytes = 0;
    let kept = 0;
    for (const name of await readdir(files)) {
      const bytes = await readFile(path.join(files, name));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(name.split(".")[0]);
      keptBytes += bytes.length;
      kept++;
    }
    expect(run.downloaded).toEqual({files: kept, bytes: keptBytes});

    // Room made (the disk grown): the next run archives both cards.
    await remount(archiveDir, 4096);
    const next = await archiveNow(api);
    expect(next.status).toBe(200);
    expect(next.run).toMatchObject({state: "done", cards: {done: 2, total: 2}, problems: []});
    expect((await call("GET", `${api}/archive`)).body.cards.map((c: {cardId: string}) => c.cardId)).toEqual([
      "big11",
      "big22",
    ]);
    expect(await readdir(path.join(archiveDir, ".incoming"))).toEqual([]);
  });

  it("starts on a disk that is full already, answers 507 for a run, and archives once space is freed", async () => {
    const root = await tempDir("yss-archive-disk-");
    const archiveDir = path.join(root, "data", "archive");
    disk = await mountSmallDisk(archiveDir, 512);
    const filler = await fillDisk(archiveDir);
    stack = await archiveStack([], {root});
    const {sim, t, api} = stack;
    expect(t.app.health().services.archive).toMatchObject({state: "running"});
    await addFamilyCard(sim, "songs", "Songs", [{title: "Hush"}]);
    const {status, run} = await archiveNow(api);
    expect(status).toBe(507);
    expect(run.error).toBe(`The disk holding '${archiveDir}' is full: free some space and retry`);
    expect((await call("GET", `${api}/archive`)).body.cards).toEqual([]);

    await filler.free();
    const next = await archiveNow(api);
    expect(next.run).toMatchObject({state: "done", cards: {done: 1, total: 1}, downloaded: {files: 1}});
    expect((await call("GET", `${api}/archive`)).body.cards.map((c: {cardId: string}) => c.cardId)).toEqual(["songs"]);
  });
});

describe.skipIf(!canMountDisks)("the family archive when a card's record does not fit", () => {
  it("answers 507, lists nothing, and does not fetch the audio it kept again once there is room", async () => {
    const root = await tempDir("yss-archive-disk-");
    const archiveDir = path.join(root, "data", "archive");
    disk = await mountSmallDisk(archiveDir, 512);
    stack = await archiveStack([], {root});
    const {sim, api} = stack;
    const [sha] = await addFamilyCard(sim, "songs", "Songs", [{title: "Hush", frequency: 440, variant: "fits"}]);
    // Room for the track's pages and not one more: the track is kept, the card's record does not fit.
    const trackBytes = (await toneBytes(1, 440, "fits")).length;
    const filler = await fillDisk(archiveDir);
    const fillerFile = path.join(archiveDir, "filler.bin");
    await truncate(fillerFile, (await stat(fillerFile)).size - Math.ceil(trackBytes / 4096) * 4096);
    const {status, run} = await archiveNow(api);
    expect(status).toBe(507);
    expect(run.error).toBe(`The disk holding '${archiveDir}' is full: free some space and retry`);
    expect((await call("GET", `${api}/archive`)).body.cards).toEqual([]);
    expect(await readdir(path.join(archiveDir, "cards"))).toEqual([]);
    expect(await readdir(path.join(archiveDir, ".incoming"))).toEqual([]);
    expect(await readdir(path.join(archiveDir, "files"))).toEqual([`${sha}.mp3`]);

    await filler.free();
    const fetchedBefore = sim.mediaRequests.length;
    const next = await archiveNow(api);
    expect(next.run).toMatchObject({state: "done", cards: {done: 1, total: 1}, downloaded: {files: 0, bytes: 0}});
    expect(sim.mediaRequests.length).toBe(fetchedBefore);
    expect((await call("GET", `${api}/archive/songs`)).body.chapters).toHaveLength(1);
  });
});

async function remount(dir: string, kib: number): Promise<void> {
  await promisify(execFile)("mount", ["-o", `remount,size=${kib}k`, dir]);
}
