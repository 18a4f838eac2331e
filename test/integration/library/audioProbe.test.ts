import {writeFile} from "node:fs/promises";
import path from "node:path";
import {parseFile} from "music-metadata";
import {describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {probeAudio} from "../../../src/library/metadata.js";
import {ffmpegPath} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

/** An MP3 made by ffmpeg from a tone, with extra ffmpeg arguments (tags, bitrate mode, a cover). */
async function mp3(dir: string, name: string, args: string[], inputs: string[] = []): Promise<string> {
  const file = path.join(dir, name);
  await runFfmpeg(ffmpegPath, [
    "-y",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=7",
    ...inputs,
    "-map",
    "0:a",
    ...args,
    file,
  ]);
  return file;
}

/**
 * MP3 files are probed from their head (tags, then the first frames): what that finds must be what
 * music-metadata finds reading the whole file, for the shapes encoders and taggers produce.
 */
describe("probing MP3 files from their head", () => {
  it("agrees with a full read on tags, duration and format for CBR, VBR, ID3v2.3, mono and a large cover", async () => {
    const dir = await tempDir();
    const cover = path.join(dir, "cover.png");
    // A noisy 600 × 600 picture compresses badly: a cover tag of several hundred KB, past the head window.
    await runFfmpeg(ffmpegPath, [
      "-y",
      "-f",
      "lavfi",
      "-i",
      "nullsrc=s=600x600,geq=random(1)*255:128:128",
      "-frames:v",
      "1",
      cover,
    ]);
    const files = [
      await mp3(dir, "cbr.mp3", [
        "-b:a",
        "128k",
        "-metadata",
        "title=Moon",
        "-metadata",
        "artist=Ann",
        "-metadata",
        "album=Night",
      ]),
      await mp3(dir, "vbr.mp3", ["-q:a", "6", "-metadata", "title=Über – «quoted»"]),
      await mp3(dir, "v23-mono.mp3", ["-ac", "1", "-b:a", "64k", "-id3v2_version", "3", "-metadata", "title=Dragon"]),
      await mp3(dir, "untagged.mp3", ["-b:a", "96k", "-write_xing", "0", "-id3v2_version", "0"]),
      await mp3(
        dir,
        "cover.mp3",
        [
          "-map",
          "1:v",
          "-c:v",
          "copy",
          "-b:a",
          "128k",
          "-metadata",
          "title=With cover",
          "-disposition:v",
          "attached_pic",
        ],
        ["-i", cover],
      ),
    ];
    for (const file of files) {
      const full = await parseFile(file, {duration: true});
      const probed = await probeAudio(file);
      expect(probed, path.basename(file)).toMatchObject({
        title: full.common.title ?? path.basename(file, ".mp3"),
        artist: full.common.artist,
        album: full.common.album,
        codec: full.format.codec,
        sampleRate: full.format.sampleRate,
        channels: full.format.numberOfChannels,
        mime: "audio/mpeg",
        hasCover: (full.common.picture?.length ?? 0) > 0,
      });
      // A file without an encoder's header (untagged.mp3) is read whole: its length is exact too.
      expect(Math.abs(probed.duration - (full.format.duration ?? 0)), path.basename(file)).toBeLessThan(0.06);
      expect(Math.abs(probed.duration - 7), path.basename(file)).toBeLessThan(0.1);
    }
    expect((await probeAudio(files[4] as string)).hasCover).toBe(true);
  });

  it("refuses a file named .mp3 that is not audio, saying so", async () => {
    const dir = await tempDir();
    const fake = path.join(dir, "notes.mp3");
    await writeFile(fake, "these are my notes, not a song\n".repeat(100));
    await expect(probeAudio(fake)).rejects.toThrow(
      /^(not a readable audio file|no audio stream with a known duration)/,
    );
  });
});
