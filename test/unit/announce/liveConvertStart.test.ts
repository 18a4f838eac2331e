import {readFile} from "node:fs/promises";
import path from "node:path";
import {PassThrough} from "node:stream";
import {describe, expect, it} from "vitest";
import {convertLive} from "../../../src/announce/liveConvert.js";
import {firstMpegFrame} from "../../../src/announce/mpegFrames.js";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {ffmpegPath} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

/** FLAC as a streaming server sends it: ffmpeg's 8 KB of padding, then 4,608-sample frames. */
async function flacTone(seconds: number): Promise<Buffer> {
  const file = path.join(await tempDir("yss-live-"), "t.flac");
  const tone = ["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`, "-ac", "2", "-ar", "44100"];
  await runFfmpeg(ffmpegPath, ["-y", ...tone, "-c:a", "flac", file]);
  return readFile(file);
}

/** Where the frames begin: after "fLaC" and every metadata block (the last one flagged). */
function framesStart(flac: Buffer): number {
  let at = 4;
  for (;;) {
    const last = ((flac[at] as number) & 0x80) !== 0;
    at += 4 + flac.readUIntBE(at + 1, 3);
    if (last) return at;
  }
}

/** An ID3v2 size: 7 bits a byte. */
const syncSafe = (n: number) =>
  (n & 0x7f) | (((n >> 8) & 0x7f) << 7) | (((n >> 16) & 0x7f) << 14) | (((n >> 24) & 0x7f) << 21);

describe("a live FLAC stream converted as it comes", () => {
  it("gives MP3 from its first frames, without waiting for ten of them as ffmpeg's raw FLAC reader did", async () => {
    const flac = await flacTone(6);
    const input = new PassThrough();
    const output = convertLive(input, "arriving", ffmpegPath);
    // The header and 0.75 s of frames (4,608 samples each; ffmpeg's raw FLAC reader gave nothing
    // before ten, 1.04 s; rewrapped, MP3 comes after four), and nothing more until MP3 has come out.
    const start = framesStart(flac);
    const half = start + Math.round((flac.length - start) / 8);
    input.write(flac.subarray(0, half));
    // MP3 out: past ffmpeg's ID3 tag, two frames (one may be the empty Xing frame a pipe gets).
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        chunks.push(chunk);
        const mp3 = Buffer.concat(chunks);
        const tag = mp3.subarray(0, 3).toString("latin1") === "ID3" ? 10 + syncSafe(mp3.readUInt32BE(6)) : 0;
        if (typeof firstMpegFrame(mp3.subarray(tag), false) !== "number") return;
        output.off("data", onData);
        resolve();
      };
      output.on("data", onData);
      output.once("error", reject);
    });
    output.on("data", (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => output.once("end", resolve));
    input.end(flac.subarray(half));
    await ended;
    // All of it, to the last (short) frame: 6 s at 16,000 bytes a second, and the encoder's padding.
    const size = Buffer.concat(chunks).length;
    expect(size).toBeGreaterThan(6 * 16_000);
    expect(size).toBeLessThan(6.1 * 16_000);
  });

  it("ends, and says its converter is free, for a stream that ends before its first bytes say what it is", async () => {
    const empty = new PassThrough();
    let out!: ReturnType<typeof convertLive>;
    const exited = new Promise<void>((resolve) => {
      out = convertLive(empty, "arriving", ffmpegPath, resolve);
    });
    const over = new Promise((resolve) => out.once("end", resolve).once("error", resolve));
    out.resume();
    empty.end();
    await Promise.all([over, exited]);
  });
});
