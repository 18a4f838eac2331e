import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {Readable} from "node:stream";
import {pipeline} from "node:stream/promises";
import {describe, expect, it} from "vitest";
import {flacSeconds} from "../../../src/announce/flacFrames.js";
import {FlacToOgg} from "../../../src/announce/flacOgg.js";
import {audioStart} from "../../../src/announce/liveClip.js";
import {startsAsMpeg} from "../../../src/announce/mpegFrames.js";
import {FromFirstFrame} from "../../../src/announce/mpegStart.js";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {mpegHeader} from "../../../src/library/mpegHeader.js";
import {ffmpegPath} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

const MP3_CUT = 211;
const tone = (seconds: number) => ["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`, "-ac", "2"];

/** A bare MP3 (no ID3, no Xing frame): frames from its first byte. */
async function bareMp3(): Promise<Buffer> {
  const file = path.join(await tempDir("yss-start-"), "t.mp3");
  await runFfmpeg(ffmpegPath, ["-y", ...tone(2), "-b:a", "192k", "-write_xing", "0", "-id3v2_version", "0", file]);
  return readFile(file);
}

/** Every frame's offset, walking the headers from the first. */
function frameOffsets(mp3: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at < mp3.length; ) {
    const header = mpegHeader(mp3, at);
    if (!header) break;
    out.push(at);
    at += header.length;
  }
  return out;
}

describe("where audio starts", () => {
  it("finds an MP3's first whole frame wherever it was cut, and waits for the bytes that decide it", async () => {
    const mp3 = await bareMp3();
    const frames = frameOffsets(mp3);
    expect(frames.length).toBeGreaterThan(50);
    for (const cut of [1, 2, 3, 211, (frames[1] as number) - 1, (frames[4] as number) + 7]) {
      const next = frames.find((f) => f >= cut) as number;
      expect(audioStart(mp3.subarray(cut), false), `cut at ${cut}`).toBe(next - cut);
      // Only up to the next frame's header: its follower has not come, so it cannot tell yet.
      expect(audioStart(mp3.subarray(cut, next + 6), false)).toBe("more");
    }
    expect(audioStart(mp3, true)).toBe(0);
  });

  it("reads MPEG audio without a probe only when it is MPEG from its first byte, past an ID3 tag", async () => {
    const mp3 = await bareMp3();
    expect(startsAsMpeg(mp3)).toBe(true);
    const tag = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 10, ...Array(10).fill(0)]);
    expect(startsAsMpeg(Buffer.concat([tag, mp3]))).toBe(true);
    // ID3 before AAC (ADTS: layer bits 0), a tag that ends past what came, and a cut frame are for the probe.
    expect(startsAsMpeg(Buffer.concat([tag, Buffer.from([0xff, 0xf1, 0x50, 0x80, 0, 0x1f, 0xfc])]))).toBe(false);
    expect(startsAsMpeg(tag.subarray(0, 15))).toBe(false);
    expect(startsAsMpeg(mp3.subarray(MP3_CUT))).toBe(false);
  });

  it("refuses text and noise, however long, after looking at no more than its first 8 KB", () => {
    const page = Buffer.from(`<!doctype html><html><body>${"Not audio. ".repeat(2000)}</body></html>`);
    expect(audioStart(page.subarray(0, 100), true)).toBeUndefined();
    expect(audioStart(page.subarray(0, 100), false)).toBe("more");
    expect(audioStart(page, false)).toBeUndefined();
    // A lone sync word followed by zeros is no frame.
    expect(audioStart(Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0xc4]), Buffer.alloc(9000)]), false)).toBe(
      undefined,
    );
    expect(audioStart(Buffer.from('{"error": "not found"}'), true)).toBeUndefined();
  });
});

describe("FLAC rewrapped as Ogg", () => {
  it("decodes to the same samples, drops metadata, and counts the samples of its frames", async () => {
    const dir = await tempDir("yss-flac-");
    const flac = path.join(dir, "t.flac");
    // 2.3 s: no whole number of 4,608-sample frames, so the last frame is a short one.
    await runFfmpeg(ffmpegPath, ["-y", ...tone(2.3), "-ar", "44100", "-c:a", "flac", flac]);
    const bytes = await readFile(flac);
    expect(flacSeconds(bytes)).toBeCloseTo(2.3, 6);
    const ogg = path.join(dir, "t.oga");
    const frames = new FlacToOgg();
    // In 997-byte pieces: headers and frames cut at every place.
    const pieces = Array.from({length: Math.ceil(bytes.length / 997)}, (_, i) =>
      bytes.subarray(i * 997, (i + 1) * 997),
    );
    const out: Buffer[] = [];
    await pipeline(Readable.from(pieces), frames, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) out.push(chunk);
    });
    await writeFile(ogg, Buffer.concat(out));
    expect(frames.samples).toBe(Math.round(2.3 * 44_100));
    expect(frames.info).toMatchObject({sampleRate: 44_100, channels: 2, bitsPerSample: 16});
    const pcm = async (file: string) => {
      const raw = path.join(dir, `${path.basename(file)}.raw`);
      await runFfmpeg(ffmpegPath, ["-y", "-i", file, "-f", "s16le", raw]);
      return readFile(raw);
    };
    expect((await pcm(ogg)).equals(await pcm(flac))).toBe(true);
  });
});

describe("an MP3 stream from its first frame", () => {
  it("drops what comes before the first whole frame of a stream joined mid-frame, in any pieces", async () => {
    const mp3 = await bareMp3();
    const next = frameOffsets(mp3).find((f) => f >= MP3_CUT) as number;
    const pieces = Array.from({length: Math.ceil((mp3.length - MP3_CUT) / 101)}, (_, i) =>
      mp3.subarray(MP3_CUT + i * 101, MP3_CUT + (i + 1) * 101),
    );
    const out: Buffer[] = [];
    await pipeline(Readable.from(pieces), new FromFirstFrame(), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) out.push(chunk);
    });
    expect(Buffer.concat(out).equals(mp3.subarray(next))).toBe(true);
  });
});
