import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping upload disk-full tests: ${cannotMountReason}`);

/** Uploads onto a really full disk: the uploads folder is a 192 KiB tmpfs. */
describe.skipIf(!canMountDisks)("uploads when the disk is full", () => {
  let t: TestApp;
  let disk: SmallDisk;
  let uploadsDir: string;
  let sources: string;

  beforeAll(async () => {
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    uploadsDir = path.join(dataDir, "uploads");
    disk = await mountSmallDisk(uploadsDir, 192);
    t = await startApp([], {dataDir, mediaDir: path.join(root, "media")});
    sources = await tempDir();
  });
  afterAll(async () => {
    await t?.stop();
    await disk?.unmount();
  });

  const upload = (filename: string, body: Buffer) =>
    fetch(`${t.adminUrl}/api/library/uploads?filename=${encodeURIComponent(filename)}`, {method: "POST", body});

  /** Every file on the small disk, the temp folder's included. */
  const onDisk = async () => (await readdir(uploadsDir, {recursive: true})).filter((n) => n !== ".incoming").sort();

  const diskFull = () => ({
    error: `The disk holding '${uploadsDir}' is full: free some space and retry`,
    code: "disk_full",
  });

  it("says which disk is full while the upload is written, and keeps nothing of it", async () => {
    // 10 s of 44.1 kHz stereo WAV is 1.7 MB: far past the 192 KiB disk.
    const wav = await makeTone(path.join(sources, "long.wav"), {seconds: 10});
    const res = await upload("long.wav", await readFile(wav));
    expect(res.status).toBe(507);
    expect(await jsonOf(res)).toEqual(diskFull());
    expect(await onDisk()).toEqual([]);
    // The server stopped reading half-way: the connection must not hang on the unread rest, or
    // the client's next request on it (fetch keeps it alive) would never be answered.
    const next = await fetch(`${t.adminUrl}/api/library`, {signal: AbortSignal.timeout(5000)});
    expect(next.status).toBe(200);
  });

  it("says the same when the converted file does not fit, and keeps neither file", async () => {
    // 80 KB of 4 kHz mono WAV fits; its 10 s as 128 kb/s MP3 (160 KB) does not fit beside it.
    const wav = await makeTone(path.join(sources, "narrow.wav"), {seconds: 10, sampleRate: 4000, channels: 1});
    const res = await upload("narrow.wav", await readFile(wav));
    expect(await jsonOf(res)).toEqual(diskFull());
    expect(res.status).toBe(507);
    expect(await onDisk()).toEqual([]);
    expect(t.app.library.list().total).toBe(0);
  });

  it("takes the next upload that fits: nothing half-written is left taking the space", async () => {
    const mp3 = await makeTone(path.join(sources, "short.mp3"), {seconds: 1});
    const res = await upload("short.mp3", await readFile(mp3));
    expect(res.status).toBe(201);
    expect(await onDisk()).toEqual(["short.mp3"]);
  });
});
