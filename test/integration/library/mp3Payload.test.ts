import {appendFile, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {analyzeMp3, findFirstFrame} from "../../../src/library/mp3.js";
import {silentMp3} from "../../../src/streams/silence.js";
import {decodeErrors, ffmpegPath, makeTone} from "../../helpers/audio.js";
import {walkFrames} from "../../helpers/mp3Frames.js";
import {tempDir} from "../../helpers/tmp.js";

describe("MP3 payload analysis", () => {
  it("excludes ID3v2, the encoder's Info frame and ID3v1, leaving only audio frames", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "tagged.mp3");
    await runFfmpeg(ffmpegPath, [
      "-y",
      "-f",
      "lavfi",
      "-i",
      "sine=duration=2",
      "-b:a",
      "128k",
      "-write_id3v1",
      "1",
      "-metadata",
      "title=Tagged",
      "-metadata",
      "artist=Test",
      file,
    ]);
    const bytes = await readFile(file);
    expect(bytes.toString("latin1", 0, 3)).toBe("ID3");
    const payload = await analyzeMp3(file);
    expect(payload.skipped.id3v2).toBeGreaterThan(10);
    expect(payload.skipped.infoFrame).toBe(417);
    expect(payload.skipped.tail).toBe(128);
    const audio = bytes.subarray(payload.start, payload.end);
    const walk = walkFrames(audio);
    expect(walk).toMatchObject({brokeAt: -1, infoFrames: []});
    expect(walk.frames).toBeGreaterThan(70);
  });

  it("strips an APEv2 tag at the end", async () => {
    const file = await makeTone(path.join(await tempDir(), "ape.mp3"), {seconds: 1});
    const before = await analyzeMp3(file);
    const footer = Buffer.alloc(32);
    footer.write("APETAGEX", 0, "latin1");
    footer.writeUInt32LE(2000, 8);
    footer.writeUInt32LE(32 + 16, 12); // items + footer
    const item = Buffer.alloc(16, 0x41);
    await appendFile(file, Buffer.concat([item, footer]));
    const after = await analyzeMp3(file);
    expect(after.end).toBe(before.end);
    expect(after.skipped.tail).toBe(48);
  });

  it("ends the payload at the last whole frame: a truncated frame or trailing junk never reaches the next file", async () => {
    const dir = await tempDir();
    const good = await readFile(await makeTone(path.join(dir, "good.mp3"), {seconds: 1}));
    const cases: Record<string, Buffer> = {
      truncated: good.subarray(0, good.length - 150),
      "truncated + ID3v1": Buffer.concat([
        good.subarray(0, good.length - 150),
        Buffer.from(`TAG${"x".repeat(125)}`, "latin1"),
      ]),
      "trailing ID3v2 (3DI)": Buffer.concat([
        good,
        Buffer.from("3DI\x04\x00\x10\x00\x00\x00\x20", "latin1"),
        Buffer.alloc(32, 7),
      ]),
      Lyrics3v2: Buffer.concat([good, Buffer.from("LYRICSBEGINhello000020LYRICS200", "latin1")]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const file = path.join(dir, `${name}.mp3`);
      await writeFile(file, bytes);
      const {start, end} = await analyzeMp3(file);
      const payload = bytes.subarray(start, end);
      expect(walkFrames(Buffer.concat([payload, payload])).brokeAt, name).toBe(-1);
    }
  });

  it("refuses a file that is not MP3, saying so", async () => {
    const dir = await tempDir();
    const wav = await makeTone(path.join(dir, "a.wav"), {seconds: 1});
    await expect(analyzeMp3(wav)).rejects.toThrow("no MPEG Layer III audio frames found: is this an MP3 file?");
    const tagsOnly = path.join(dir, "tags.mp3");
    await writeFile(tagsOnly, Buffer.concat([Buffer.from("ID3\x03\x00\x00\x00\x00\x00\x00", "latin1")]));
    await expect(analyzeMp3(tagsOnly)).rejects.toThrow("no MPEG Layer III audio frames found");
  });

  it("does not take a stray sync pattern for the first frame", () => {
    const real = silentMp3(0.1);
    const junk = Buffer.from([0x00, 0xff, 0xfb, 0x90, 0x04, 0x11, 0x22]);
    expect(findFirstFrame(Buffer.concat([junk, real]))?.offset).toBe(junk.length);
  });

  it("makes silence every decoder accepts", async () => {
    const file = path.join(await tempDir(), "silence.mp3");
    await writeFile(file, silentMp3(2));
    expect(await decodeErrors(file)).toBe("");
    expect(walkFrames(silentMp3(2))).toMatchObject({brokeAt: -1, infoFrames: [], frames: 77});
  });
});
