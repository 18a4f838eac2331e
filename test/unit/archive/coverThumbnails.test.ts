import {execFile} from "node:child_process";
import {stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {describe, expect, it} from "vitest";
import {CoverThumbnails} from "../../../src/archive/coverThumbnails.js";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {ffmpegPath} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

const run = promisify(execFile);

/** The width and height ffmpeg reads from an image. */
async function sizeOf(file: string): Promise<string> {
  const {stderr} = await run(ffmpegPath, ["-hide_banner", "-i", file]).catch((err: {stderr: string}) => err);
  return /Video: (\w+).*?, (\d+x\d+)/.exec(stderr)?.slice(1, 3).join(" ") ?? stderr;
}

async function picture(dir: string, name: string, size: string): Promise<string> {
  const file = path.join(dir, name);
  await runFfmpeg(ffmpegPath, ["-f", "lavfi", "-i", `testsrc=size=${size}:rate=1`, "-frames:v", "1", "-y", file]);
  return file;
}

describe("archived covers as thumbnails", () => {
  it("scales a cover to a JPEG within 160 px (DLNA JPEG_TN) keeping its shape, once per cover, never enlarging a small one", async () => {
    const dir = await tempDir("yss-thumbs-");
    let runs = 0;
    const thumbs = new CoverThumbnails(path.join(dir, "thumbnails"), () => {
      runs++;
      return ffmpegPath;
    });
    const wide = await picture(dir, "wide.png", "640x480");
    const made = await thumbs.thumbnail(wide, "a".repeat(64));
    expect(await sizeOf(made)).toBe("mjpeg 160x120");
    const first = (await stat(made)).mtimeMs;
    // Two browses at once, and one later: no second ffmpeg run.
    const again = await Promise.all([thumbs.thumbnail(wide, "a".repeat(64)), thumbs.thumbnail(wide, "a".repeat(64))]);
    expect(again).toEqual([made, made]);
    expect((await stat(made)).mtimeMs).toBe(first);
    expect(runs).toBe(1);

    const small = await picture(dir, "small.png", "64x64");
    expect(await sizeOf(await thumbs.thumbnail(small, "b".repeat(64)))).toBe("mjpeg 64x64");
  });

  it("says what was wrong with a cover ffmpeg cannot read, and leaves no half-made file", async () => {
    const dir = await tempDir("yss-thumbs-");
    const broken = path.join(dir, "broken.png");
    await writeFile(broken, "not an image");
    const thumbs = new CoverThumbnails(path.join(dir, "thumbnails"), () => ffmpegPath);
    await expect(thumbs.thumbnail(broken, "c".repeat(64))).rejects.toThrow(
      /^The archived cover could not be made a thumbnail: .+/,
    );
    await expect(stat(path.join(dir, "thumbnails", `${"c".repeat(64)}-160.jpg`))).rejects.toThrow(/ENOENT/);
  });
});
