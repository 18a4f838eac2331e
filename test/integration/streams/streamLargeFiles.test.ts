import {readFile, rename, rm, writeFile} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {openFilesUnder} from "../../helpers/fds.js";
import {clientsLeavingAtRandom, rawRequest} from "../../helpers/http.js";
import {walkFrames} from "../../helpers/mp3Frames.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let spare: string;
const NAMES = ["a.mp3", "b.mp3", "c.mp3"];

/**
 * Streams of files too long to keep in memory (4 MB each, more than loopback socket buffers hold):
 * these are read from shared open files while the response is written.
 */
beforeAll(async () => {
  t = await startApp([], {audioRateLimit: {burst: 100_000, perSecond: 100_000}});
  // Big, not fine: mono at LAME's fastest (a second each here, where stereo at its best took three).
  const tone = (file: string, frequency: number) =>
    makeTone(file, {seconds: 250, bitrate: "128k", frequency, channels: 1, quick: true});
  [spare] = await Promise.all([
    tone(path.join(await tempDir(), "spare.mp3"), 880),
    ...NAMES.map((name, i) => tone(path.join(t.mediaDir, name), 300 + 100 * i)),
  ]);
  await t.app.library.scan();
  await t.app.streams.replace("long", NAMES, "once");
});
afterAll(async () => {
  await t?.stop();
});

const url = () => `${t.audioUrl}${t.app.links.signed("/streams/long.mp3")}`;

/** GET, reading until `pauseAt` bytes, then paused until `whilePaused` is done. */
function pausedDownload(pauseAt: number, whilePaused: () => Promise<void>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get(url(), (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let paused = false;
        res.on("data", (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          if (!paused && size >= pauseAt) {
            paused = true;
            res.pause();
            whilePaused().then(() => res.resume(), reject);
          }
        });
        res.on("end", () => resolve(Buffer.concat(chunks)));
        res.on("close", () => {
          if (!res.complete) reject(new Error(`connection cut after ${size} bytes`));
        });
      })
      .on("error", reject);
  });
}

describe("streams of long files", () => {
  it("reads them from disk, not memory, with exact ranges across file boundaries", async () => {
    const whole = await rawRequest(url());
    expect(whole.status).toBe(200);
    expect(walkFrames(whole.body).brokeAt).toBe(-1);
    expect(t.app.streams.health().details.audioInMemoryBytes).toBe(0);
    const third = Math.floor(whole.body.length / 3);
    for (const [start, end] of [
      [third - 5000, third + 5000],
      [0, 0],
      [2 * third - 1, 2 * third + 300_000],
      [whole.body.length - 10, whole.body.length - 1],
    ] as const) {
      const part = await rawRequest(url(), {headers: {Range: `bytes=${start}-${end}`}});
      expect(part.status).toBe(206);
      expect(part.body.equals(whole.body.subarray(start, end + 1))).toBe(true);
    }
  });

  it("never serves a file replaced while a response is reading it mixed: that response keeps the old bytes", async () => {
    const before = (await rawRequest(url())).body;
    const b = path.join(t.mediaDir, "b.mp3");
    const original = await readFile(b);
    // Paused inside b.mp3, whose handle the response holds; b.mp3 is then replaced by a rename.
    const during = await pausedDownload(Math.floor(before.length / 3) + 200_000, async () => {
      await writeFile(`${b}.tmp`, await readFile(spare));
      await rename(`${b}.tmp`, b);
      await new Promise((r) => setTimeout(r, 300));
    });
    try {
      expect(during.length).toBe(before.length);
      expect(during.equals(before)).toBe(true);
      // Once the library has seen the change, new requests get the new file, cleanly joined.
      await t.app.library.scan();
      const after = (await rawRequest(url())).body;
      expect(after.equals(before)).toBe(false);
      expect(walkFrames(after).brokeAt).toBe(-1);
    } finally {
      await writeFile(b, original);
      await t.app.library.scan();
    }
  });

  it("never plays a file torn by its deletion: whole from its open file, cut, or left out", async () => {
    const whole = (await rawRequest(url())).body;
    const c = path.join(t.mediaDir, "c.mp3");
    const kept = await readFile(c);
    await rm(c);
    try {
      // Within the second a file just served is trusted, its open file still plays it, whole.
      const soon = await rawRequest(url());
      expect(soon.body.equals(whole)).toBe(true);
      // Past it (forgetChecks), the snapshot's file is gone: that response is cut, or, with a new
      // snapshot, plays without it.
      t.app.files.forgetChecks();
      const later = await rawRequest(url()).catch((err: Error) => err);
      if (!(later instanceof Error)) {
        expect(later.body.length).toBeLessThan(whole.length);
        expect(walkFrames(later.body).brokeAt).toBe(-1);
      }
      await t.app.library.scan();
      const retry = await rawRequest(url());
      expect(retry.status).toBe(200);
      expect(retry.body.length).toBeLessThan(whole.length);
      expect(walkFrames(retry.body).brokeAt).toBe(-1);
    } finally {
      await writeFile(c, kept);
      await t.app.library.scan();
    }
  });

  it("holds no file per client: 30 clients leaving at random points leave each file open once, unused", async () => {
    await clientsLeavingAtRandom(url(), 30, 10_000_000);
    await expect.poll(() => t.app.files.health().details.inUse, {timeout: 5000}).toBe(0);
    const open = await openFilesUnder(t.mediaDir);
    expect(open.length).toBe(new Set(open).size);
    expect(open.length).toBeLessThanOrEqual(NAMES.length);
    await t.app.files.stop();
    expect(await openFilesUnder(t.mediaDir)).toEqual([]);
    await t.app.files.start();
  });
});
