import {execFile} from "node:child_process";
import {mkdtemp, readFile, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {promisify} from "node:util";
import {deflateSync, inflateSync} from "node:zlib";
import {PNG} from "pngjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {requireFfmpeg} from "../../../src/core/ffmpeg.js";
import {ImageRefusal, inspectPicture, runCappedDecoder} from "../../../src/images/index.js";
import {criticalPng} from "../../../src/images/pngChunks.js";
import {deflatedZeros, ihdr, pictureBombs, plainPng, png, pngChunk} from "../../helpers/pictureBombs.js";

const run = promisify(execFile);

/** What the door answers: its refusal, or what it lets through. */
async function outcome(bytes: Buffer): Promise<{kind: string; detail: string} | {taken: string}> {
  try {
    const picture = await inspectPicture(bytes);
    return {taken: `${picture.type} ${picture.width}×${picture.height}`};
  } catch (err) {
    if (err instanceof ImageRefusal) return {kind: err.kind, detail: err.detail};
    throw err;
  }
}
const refusalOf = outcome;

let zeros: Buffer;
let dir: string;
beforeAll(async () => {
  // The gigabyte of zeros of the bombs, about 1 MB deflated.
  zeros = await deflatedZeros(1024 ** 3);
  dir = await mkdtemp(path.join(os.tmpdir(), "yss-images-"));
});
afterAll(() => rm(dir, {recursive: true, force: true}));

describe("the one door before a decoder", () => {
  it("refuses each bomb in words, before a decoder sees it", async () => {
    const bombs = pictureBombs(zeros);
    const answers = Object.fromEntries(
      await Promise.all(Object.entries(bombs).map(async ([name, bytes]) => [name, await outcome(bytes)] as const)),
    );
    expect(answers).toEqual({
      "PNG IDAT": {
        kind: "damaged",
        detail:
          "holds more pixel data than its size says (64×64 is 16504 bytes): it is damaged, or made to exhaust memory. Send another",
      },
      // The metadata is dropped, not inflated: what is left is the plain 100×100 picture.
      "PNG zTXt": {taken: "png 100×100"},
      "PNG iCCP": {taken: "png 100×100"},
      "16-bit PNG": {
        kind: "memory",
        detail:
          "is 7000×7000 pixels of 16 bits a colour: reading it would take about 468 MB, more than the 348 MB a picture may use. Save it smaller, or with 8 bits a colour, and send it again",
      },
      "progressive JPEG": {
        kind: "memory",
        detail:
          "is 6900×6900 pixels: reading it would take about 512 MB, more than the 348 MB a picture may use. Save it smaller and send it again",
      },
      "GIF with a huge screen": {
        kind: "memory",
        detail:
          "is 16000×3000 pixels: reading it would take about 367 MB, more than the 348 MB a picture may use. Save it smaller and send it again",
      },
      "animated WebP": {
        kind: "memory",
        detail:
          "is 8000×6000 pixels: reading it would take about 367 MB, more than the 348 MB a picture may use. Save it smaller and send it again",
      },
    });
  });

  it("drops compressed metadata unread, so a zTXt or iCCP bomb is a plain picture", async () => {
    for (const name of ["PNG zTXt", "PNG iCCP"]) {
      const picture = await inspectPicture(pictureBombs(zeros)[name] as Buffer);
      expect(picture).toMatchObject({type: "png", width: 100, height: 100});
      expect(picture.bytes.length).toBeLessThan(1000);
      expect(PNG.sync.read(picture.bytes).width).toBe(100);
      expect(picture.bytes.includes(Buffer.from("zTXt"))).toBe(false);
      expect(picture.bytes.includes(Buffer.from("iCCP"))).toBe(false);
    }
  });

  it("knows what interlaced pixel data inflates to, pass by pass", () => {
    // Adam7 on 3×3 RGBA: passes 1, 4 (x 2), 5 (y 2, x 0 and 2), 6 (x 1, rows 0 and 2), 7 (row 1).
    const layout = criticalPng(png(ihdr(3, 3, {interlaced: true}), pngChunk("IDAT", zeros.subarray(0, 10)))).layout;
    expect(layout.rawBytes).toBe(5 + 5 + 9 + 10 + 13);
    const plain = plainPng(5, 7);
    const idat = criticalPng(plain).data[0] as Buffer;
    expect(criticalPng(plain).layout.rawBytes).toBe(inflateSync(idat).length);
  });

  it("refuses a damaged structure with what is wrong", async () => {
    const good = plainPng(4, 4);
    expect(await refusalOf(good.subarray(0, good.length - 20))).toEqual({
      kind: "damaged",
      detail: "is not a well-formed PNG: a chunk's length runs past the file. Send it again, or another",
    });
    expect(
      await refusalOf(png(ihdr(4, 4), pngChunk("abCD", Buffer.alloc(1)), pngChunk("IDAT", Buffer.from("not zlib")))),
    ).toEqual({
      kind: "damaged",
      detail: "is not a well-formed PNG: its pixel data is not a zlib stream. Send it again, or another",
    });
    expect(await refusalOf(png(ihdr(4, 4, {depth: 3})))).toEqual({
      kind: "damaged",
      detail: "is not a well-formed PNG: colour type 6 at 3 bits is no PNG's. Send it again, or another",
    });
    expect(await refusalOf(png(ihdr(4, 4), pngChunk("XyZw", Buffer.alloc(0))))).toEqual({
      kind: "damaged",
      detail: "is not a well-formed PNG: it needs a chunk no decoder knows (XyZw). Send it again, or another",
    });
  });

  it("refuses what a reviewer crafted to get past it: thousands of chunks, a huge palette, scans without end, two frames", async () => {
    const raw = Buffer.alloc(64 * (1 + 64 * 4));
    const stored = pngChunk("IDAT", deflateSync(raw, {level: 0}));
    const empties = Array.from({length: 10_000}, () => pngChunk("IDAT", Buffer.alloc(0)));
    // Ten thousand empty IDATs after a real one overflowed the stack of a chunk-by-chunk writer.
    expect(await outcome(png(ihdr(64, 64), stored, ...empties))).toEqual({taken: "png 64×64"});
    const palette = (colours: number) => pngChunk("PLTE", Buffer.alloc(colours * 3));
    const indexed = (...chunks: Buffer[]) =>
      png(ihdr(64, 64, {colour: 3}), ...chunks, pngChunk("IDAT", deflateSync(Buffer.alloc(64 * 65))));
    const jpeg = (...segments: Buffer[]) =>
      Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, Buffer.from([0xff, 0xd9])]);
    const app0 = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    const sof = (marker: number, size: number, count: number) =>
      Buffer.concat([
        Buffer.from([0xff, marker, 0, 8 + count * 3, 8, size >> 8, size & 255, size >> 8, size & 255, count]),
        Buffer.from(Array.from({length: count}, (_, i) => [i + 1, 0x11, 0]).flat()),
      ]);
    const scan = Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34]);
    const answers = {
      "a palette of 2.6 million colours": await outcome(indexed(palette(2_600_000))),
      "a palette of 256 colours": await outcome(indexed(palette(256))),
      "two palettes": await outcome(indexed(palette(4), palette(4))),
      "transparency longer than the palette": await outcome(indexed(palette(4), pngChunk("tRNS", Buffer.alloc(300)))),
      "a palette picture with no palette": await outcome(indexed()),
      "101 scans": await outcome(jpeg(app0, sof(0xc2, 16, 1), ...Array.from({length: 101}, () => scan))),
      "100 scans": await outcome(jpeg(app0, sof(0xc2, 16, 1), ...Array.from({length: 100}, () => scan))),
      "a lossless frame, then a big progressive one": await outcome(jpeg(app0, sof(0xc3, 16, 1), sof(0xc2, 6000, 3))),
      "two frames": await outcome(jpeg(app0, sof(0xc0, 16, 1), sof(0xc2, 6000, 3))),
    };
    const send = ". Send it again, or another";
    expect(answers).toEqual({
      "a palette of 2.6 million colours": {
        kind: "damaged",
        detail: `is not a well-formed PNG: its palette is 7800000 bytes, not 1 to 256 colours of 3 bytes${send}`,
      },
      "a palette of 256 colours": {taken: "png 64×64"},
      "two palettes": {kind: "damaged", detail: `is not a well-formed PNG: it has a second PLTE chunk${send}`},
      "transparency longer than the palette": {
        kind: "damaged",
        detail: `is not a well-formed PNG: its transparency (tRNS) of 300 bytes does not fit colour type 3${send}`,
      },
      "a palette picture with no palette": {
        kind: "damaged",
        detail: `is not a well-formed PNG: it is a palette picture with no palette${send}`,
      },
      "101 scans": {kind: "damaged", detail: `is not a well-formed JPEG: it has more than 100 scans${send}`},
      "100 scans": {taken: "jpg 16×16"},
      "a lossless frame, then a big progressive one": {
        kind: "damaged",
        detail: `is not a well-formed JPEG: its frame is lossless or arithmetic-coded, which browsers do not show${send}`,
      },
      "two frames": {kind: "damaged", detail: `is not a well-formed JPEG: it has a second frame header${send}`},
    });
  });

  it("takes real pictures ffmpeg made, and the estimate keeps a phone's photo within the ceiling", async () => {
    const ffmpeg = requireFfmpeg().path;
    const made: Record<string, Buffer> = {};
    for (const [name, args] of Object.entries({
      "photo.jpg": ["-f", "lavfi", "-i", "testsrc2=s=4000x3000", "-q:v", "3"],
      "photo.png": ["-f", "lavfi", "-i", "testsrc2=s=800x600"],
      "photo.gif": ["-f", "lavfi", "-i", "testsrc2=s=320x240"],
      "photo.webp": ["-f", "lavfi", "-i", "testsrc2=s=640x480"],
    })) {
      await run(ffmpeg, ["-v", "error", ...args, "-frames:v", "1", "-y", path.join(dir, name)]);
      made[name] = await readFile(path.join(dir, name));
    }
    const types = await Promise.all(Object.values(made).map(async (b) => (await inspectPicture(b)).type));
    expect(types).toEqual(["jpg", "png", "gif", "webp"]);
    expect((await inspectPicture(made["photo.jpg"] as Buffer)).decodeBytes).toBe(
      (4000 * 3000 + 2 * 2000 * 1504) * 1.25,
    );
  });
});

describe("the decoder within the kernel's ceiling", () => {
  it("ends a decode that needs more memory than it may use, in words", async () => {
    // A 7000×7000 RGBA PNG (200 KB) decodes to 196 MB: past a 160 MB ceiling, the kernel refuses it.
    const ffmpeg = requireFfmpeg().path;
    const file = path.join(dir, "large.png");
    await run(
      ffmpeg,
      ["-v", "error", "-f", "lavfi", "-i", "color=c=red@0.5:s=7000x7000,format=rgba"].concat([
        "-frames:v",
        "1",
        "-y",
        file,
      ]),
    );
    const decode = (memoryBytes?: number) =>
      runCappedDecoder(ffmpeg, {
        width: 7000,
        height: 7000,
        ...(memoryBytes ? {memoryBytes} : {}),
        args: ["-i", file, "-vf", "scale=48:-1", "-frames:v", "1", "-c:v", "mjpeg", "-f", "image2pipe", "pipe:1"],
      });
    const err = await decode(160 * 1024 * 1024).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageRefusal);
    expect((err as ImageRefusal).detail).toBe(
      "needs more memory to read than the 160 MB a picture may use: save it smaller and send it again",
    );
    // Within the real ceiling it is read, as a JPEG.
    expect((await decode()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });
});
