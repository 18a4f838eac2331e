import {execFile} from "node:child_process";
import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {describe, expect, it} from "vitest";
import {requireFfmpeg} from "../../../src/core/ffmpeg.js";
import {confinedInputOptions} from "../../../src/library/uploadFormats.js";
import {deflatedZeros, ihdr, png, pngChunk} from "../../helpers/pictureBombs.js";
import {tempDir} from "../../helpers/tmp.js";

const run = promisify(execFile);

/** An ID3v2.3 tag holding one APIC frame (the front cover) of `picture`, as a tagger writes it. */
function id3WithCover(picture: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from([0]), Buffer.from("image/png\0", "latin1"), Buffer.from([3, 0]), picture]);
  const frame = Buffer.concat([Buffer.from("APIC", "latin1"), Buffer.alloc(4), Buffer.alloc(2), body]);
  frame.writeUInt32BE(body.length, 4);
  // The tag's size is "syncsafe": seven bits a byte.
  const size = frame.length;
  const head = Buffer.from([
    0x49,
    0x44,
    0x33,
    3,
    0,
    0,
    (size >> 21) & 127,
    (size >> 14) & 127,
    (size >> 7) & 127,
    size & 127,
  ]);
  return Buffer.concat([head, frame]);
}

describe("audio that carries a picture", () => {
  it("leaves cover art past 16 megapixels undecoded, and plays the audio", async () => {
    const ffmpeg = requireFfmpeg().path;
    const dir = await tempDir("yss-embedded-art-");
    const tone = path.join(dir, "tone.mp3");
    await run(ffmpeg, [
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      "sine=d=1",
      "-c:a",
      "libmp3lame",
      "-id3v2_version",
      "0",
      tone,
    ]);
    // 16000×3000 RGBA at 16 bits: 384 MB decoded, from a cover of a few hundred kilobytes.
    const cover = png(ihdr(16000, 3000, {depth: 16}), pngChunk("IDAT", await deflatedZeros(64 * 1024 * 1024)));
    const file = path.join(dir, "song.mp3");
    await writeFile(file, Buffer.concat([id3WithCover(cover), await readFile(tone)]));
    const out = path.join(dir, "out.mp3");
    const {stderr} = await run(ffmpeg, [
      ...["-hide_banner", "-v", "error", ...confinedInputOptions(), "-i", `file:${file}`, "-vn"],
      ...["-c:a", "libmp3lame", "-f", "mp3", "-y", out],
    ]);
    expect(stderr).toContain("Picture size 16000x3000 exceeds specified max pixel count 16000000");
    expect((await readFile(out)).length).toBeGreaterThan(4000);
  });
});
