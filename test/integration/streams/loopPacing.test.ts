import http from "node:http";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {openFilesUnder} from "../../helpers/fds.js";
import {tempDir} from "../../helpers/tmp.js";

/**
 * Endless streams are paced: a client reading as fast as it can gets a burst of 30 s of audio, then
 * three times real time. Finite streams are bounded by their length and keep full speed.
 */
let t: TestApp;
let itemId: string;
// The media file is 120 s of 32 kb/s MP3: 4,000 bytes per second of audio.
const AUDIO_BYTES_PER_SECOND = 4000;
const BURST = 30 * AUDIO_BYTES_PER_SECOND;
const PACED_RATE = 3 * AUDIO_BYTES_PER_SECOND;

beforeAll(async () => {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  await makeTone(path.join(mediaDir, "long.mp3"), {seconds: 120, bitrate: "32k", sampleRate: 22050, channels: 1});
  t = await startApp([], {dataDir: path.join(root, "data"), mediaDir});
  itemId = t.app.library.list().items[0]?.id as string;
});
afterAll(async () => {
  await t?.stop();
});

async function makeStream(name: string, mode: string) {
  const res = await fetch(`${t.adminUrl}/api/streams/${name}`, {
    method: "PUT",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({items: [itemId], mode}),
  });
  expect(res.status).toBe(200);
  return `${t.audioUrl}${t.app.links.signed(`/streams/${name}.mp3`)}`;
}

/** Read as fast as possible for `ms`, then hang up: bytes received by then, and in the last second. */
function readFor(url: string, ms: number): Promise<{total: number; lastSecond: number; elapsedMs: number}> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let total = 0;
    let atOneSecondBeforeEnd = 0;
    const req = http.get(url, (res) => {
      res.on("data", (chunk: Buffer) => {
        total += chunk.length;
      });
      setTimeout(() => {
        atOneSecondBeforeEnd = total;
      }, ms - 1000);
      setTimeout(() => {
        res.destroy();
        resolve({total, lastSecond: total - atOneSecondBeforeEnd, elapsedMs: performance.now() - started});
      }, ms);
    });
    req.on("error", reject);
  });
}

describe("endless streams", () => {
  for (const mode of ["loop", "shuffle_loop"]) {
    it(`${mode}: a greedy client gets the burst, then audio at three times real time`, async () => {
      const url = await makeStream(`greedy-${mode.replace("_", "-")}`, mode);
      const got = await readFor(url, 2500);
      const seconds = got.elapsedMs / 1000;
      // Unpaced, a loopback client pulls hundreds of megabytes in this time.
      expect(got.total).toBeLessThanOrEqual(BURST + PACED_RATE * seconds + 4096);
      expect(got.total).toBeGreaterThan(BURST);
      // Not stalled after the burst: about one second at the paced rate came in the last second.
      expect(got.lastSecond).toBeGreaterThan(PACED_RATE * 0.5);
      expect(got.lastSecond).toBeLessThan(PACED_RATE * 2);
    });
  }

  it("stops reading files as soon as a paced client hangs up", async () => {
    const url = await makeStream("leaving", "loop");
    await readFor(url, 1500);
    // The file stays open for the next client (one handle, shared), but nothing uses it any more.
    await expect.poll(() => t.app.files.health().details, {timeout: 1000, interval: 50}).toEqual({open: 1, inUse: 0});
    expect(await openFilesUnder(t.mediaDir)).toEqual([path.join(t.mediaDir, "long.mp3")]);
  });
});

describe("finite streams", () => {
  it("are not paced: all 120 s come at once", async () => {
    const url = await makeStream("whole", "once");
    const res = await fetch(url);
    const body = Buffer.from(await res.arrayBuffer());
    // Paced like a loop, the 330 KB past the burst would take about 30 s, past the test's time.
    expect(body.length).toBeGreaterThan(110 * AUDIO_BYTES_PER_SECOND);
  });
});
