import {readdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {imageSize} from "image-size";
import {PNG} from "pngjs";
import {afterEach, describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {PictureFiles} from "../../../src/pictures/pictureFiles.js";
import {ffmpegPath} from "../../helpers/audio.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {canMountDisks, cannotMountReason, mountSmallDisk, type SmallDisk} from "../../helpers/smallDisk.js";
import {tempDir} from "../../helpers/tmp.js";

if (!canMountDisks) console.warn(`Skipping the pictures' disk-full test: ${cannotMountReason}`);

/** A picture of `size` in `format`, drawn by ffmpeg (a test pattern: not one flat colour). */
async function drawn(dir: string, size: string, ext: string): Promise<Buffer> {
  const file = path.join(dir, `source-${size}.${ext}`);
  await runFfmpeg(ffmpegPath, ["-f", "lavfi", "-i", `testsrc2=size=${size}`, "-frames:v", "1", "-y", file]);
  return readFile(file);
}

function icon(width: number, height: number): Buffer {
  const png = new PNG({width, height});
  for (let i = 0; i < width * height; i++) png.data.set([i % 2 ? 255 : 0, 80, 160, 255], i * 4);
  return PNG.sync.write(png);
}

let disk: SmallDisk | undefined;
afterEach(async () => {
  await disk?.unmount();
  disk = undefined;
});

describe("the pictures the service serves", () => {
  it("makes photos at most 480 px as JPEG and icons big in whole pixels as PNG, named by their bytes", async () => {
    const dir = await tempDir("yss-pictures-");
    const files = new PictureFiles(path.join(dir, "pictures"), () => ffmpegPath);
    const cases: Array<[Buffer, {width: number; height: number; type: string}]> = [
      [await drawn(dir, "1200x900", "jpg"), {width: 480, height: 360, type: "jpg"}],
      // Odd sizes, scaled down to odd sizes again.
      [await drawn(dir, "961x333", "png"), {width: 480, height: 166, type: "jpg"}],
      [await drawn(dir, "640x640", "gif"), {width: 480, height: 480, type: "jpg"}],
      [await drawn(dir, "300x200", "webp"), {width: 300, height: 200, type: "jpg"}],
      [icon(16, 16), {width: 480, height: 480, type: "png"}],
      [icon(20, 10), {width: 480, height: 240, type: "png"}],
    ];
    const names: string[] = [];
    for (const [bytes, expected] of cases) {
      const name = await files.make(bytes, "The picture");
      expect(name).toMatch(new RegExp(`^[0-9a-f]{64}\\.${expected.type}$`));
      const made = await readFile(files.path(name) as string);
      expect(imageSize(new Uint8Array(made)), name).toEqual(expected);
      names.push(name);
    }
    // The same bytes again: the same name, one file.
    expect(await files.make(cases[0]![0], "The picture")).toBe(names[0]);
    // Only what is used stays; a crash's work file goes too.
    await writeFile(path.join(files.dir, ".work-left-behind.png"), "x");
    expect(await files.sweep(new Set(names.slice(0, 2)))).toBe(names.length - 2 + 1);
    expect((await readdir(files.dir)).sort()).toEqual(names.slice(0, 2).sort());
    for (const bad of ["../state.sqlite", `${"a".repeat(64)}.svg`, `${"a".repeat(63)}.jpg`])
      expect(files.path(bad), bad).toBeUndefined();
    // Thirteen ffmpeg runs, one at a time: beside other test files on two cores, more than the default allows.
  }, 90_000);

  it("answers a picture whose header is right but whose pixels are not with what to do", async () => {
    const dir = await tempDir("yss-pictures-");
    const files = new PictureFiles(path.join(dir, "pictures"), () => ffmpegPath);
    // The headers say 40×40 (made big here) and 200×200 (made by ffmpeg); the pixels are noise.
    for (const size of [40, 200]) {
      const png = icon(size, size);
      png.fill(0x5a, 41, png.length - 12);
      const made = files.make(png, "The upload");
      await expect(made, `${size} px`).rejects.toMatchObject({status: 422, code: "bad_picture"});
      await expect(made, `${size} px`).rejects.toThrow(
        "The upload is not a well-formed PNG: its pixel data is not a zlib stream. Send it again, or another",
      );
    }
    // A GIF header and no picture in it: ffmpeg reads no frame, and says nothing is wrong.
    const empty = files.make(Buffer.from("GIF89a\x00\x04\x00\x04\x00\x00\x00", "latin1"), "The upload");
    await expect(empty).rejects.toMatchObject({status: 422, code: "bad_picture"});
    await expect(empty).rejects.toThrow(
      "The upload could not be read as a GIF: it holds no picture. Send it again, or another",
    );
    expect(await readdir(files.dir).catch(() => [])).toEqual([]);
  });

  it("refuses a JPEG cut short (a download that stopped early) rather than drawing its missing part as a block", async () => {
    const dir = await tempDir("yss-pictures-");
    const files = new PictureFiles(path.join(dir, "pictures"), () => ffmpegPath);
    const photo = await drawn(await tempDir("yss-source-"), "640x480", "jpg");
    const cutShort =
      "The upload is cut short: its JPEG data stops before the picture's end, so part of it is missing (a download or copy that stopped early). Send the whole file again, or another";
    // Within its image data, within its scan's header, and only its end marker's last byte missing.
    const scan = photo.indexOf(Buffer.from([0xff, 0xda]));
    expect(scan).toBeGreaterThan(0);
    for (const keep of [Math.floor(photo.length / 2), scan + 3, photo.length - 1]) {
      const made = files.make(photo.subarray(0, keep), "The upload");
      await expect(made, `${keep} of ${photo.length} bytes`).rejects.toMatchObject({status: 422, code: "bad_picture"});
      await expect(made, `${keep} of ${photo.length} bytes`).rejects.toThrow(cutShort);
    }
    expect(await readdir(files.dir).catch(() => [])).toEqual([]);
    // The whole file is taken, as is one with bytes after its end (some cameras add them).
    expect(await files.make(photo, "The upload")).toMatch(/^[0-9a-f]{64}\.jpg$/);
    expect(await files.make(Buffer.concat([photo, Buffer.alloc(16)]), "The upload")).toMatch(/^[0-9a-f]{64}\.jpg$/);
  });

  it.skipIf(!canMountDisks)("says which disk is full, and leaves no half picture", async () => {
    const dir = path.join(await tempDir("yss-pictures-"), "pictures");
    disk = await mountSmallDisk(dir, 1024);
    const files = new PictureFiles(dir, () => ffmpegPath);
    const photo = await drawn(await tempDir("yss-source-"), "1200x900", "jpg");
    const filled = await fillDisk(dir);
    const made = files.make(photo, "The picture");
    await expect(made).rejects.toMatchObject({status: 507});
    await expect(made).rejects.toThrow(`The disk holding '${dir}' is full: free some space and retry`);
    await filled.free();
    expect(await readdir(dir)).toEqual([]);
    expect(await files.make(photo, "The picture")).toMatch(/^[0-9a-f]{64}\.jpg$/);
  });
});
