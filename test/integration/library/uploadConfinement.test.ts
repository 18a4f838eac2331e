import {readdir, readFile, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, beforeAll, describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {transcodeToMp3} from "../../../src/library/transcode.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {ffmpegPath, makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

/**
 * An upload is decoded as the bytes that were sent, never as a playlist or list that makes ffmpeg
 * read other files: those used to turn a private file on the server into a served library item.
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

let privateMp3: string;
beforeAll(async () => {
  privateMp3 = await makeTone(path.join(await tempDir("yss-private-"), "private.mp3"), {seconds: 3});
});

const ACCEPTED =
  "upload the audio itself as MP3, AAC, M4A/M4B/MP4, OGG/Opus, FLAC, WAV, AIFF or MKA/WebM (playlists and files that point to other files are refused)";

const hlsPlaylist = () => `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:3,\nfile://${privateMp3}\n#EXT-X-ENDLIST\n`;

function upload(app: TestApp, filename: string, body: Buffer | string) {
  return fetch(`${app.adminUrl}/api/library/uploads?filename=${encodeURIComponent(filename)}`, {
    method: "POST",
    body,
  });
}

/** Everything under uploads/, the temp folder's contents included. */
async function uploadsOnDisk(app: TestApp): Promise<string[]> {
  const dir = path.join(app.dataDir, "uploads");
  const top = await readdir(dir).catch(() => [] as string[]);
  const incoming = await readdir(path.join(dir, ".incoming")).catch(() => [] as string[]);
  return [...top.filter((n) => n !== ".incoming"), ...incoming];
}

async function expectRefused(app: TestApp, filename: string, body: string, kind: string) {
  const res = await upload(app, filename, body);
  expect(await jsonOf(res)).toEqual({
    error: `'${filename}' is ${kind}, not an audio file: ${ACCEPTED}`,
    code: "unsupported_format",
  });
  expect(res.status).toBe(415);
}

describe("uploads that name other files", () => {
  it("refuses an HLS playlist pointing at a private file, by content and whatever its name", async () => {
    t = await startApp();
    await expectRefused(t, "evil.m3u8", hlsPlaylist(), "a playlist (M3U/HLS)");
    await expectRefused(t, "innocent song.mp3", hlsPlaylist(), "a playlist (M3U/HLS)");
    await expectRefused(t, "bom.wav", `\ufeff${hlsPlaylist()}`, "a playlist (M3U/HLS)");
    expect(t.app.library.list().total).toBe(0);
    expect(await uploadsOnDisk(t)).toEqual([]);
  });

  it("refuses an ffmpeg concat list and a PLS playlist", async () => {
    t = await startApp();
    await expectRefused(
      t,
      "list.ffconcat",
      `ffconcat version 1.0\nfile ${privateMp3}\nfile /etc/passwd\n`,
      "a list of other files (ffmpeg concat)",
    );
    await expectRefused(t, "radio.pls", `[playlist]\nFile1=${privateMp3}\nNumberOfEntries=1\n`, "a playlist (PLS)");
    expect(t.app.library.list().total).toBe(0);
    expect(await uploadsOnDisk(t)).toEqual([]);
  });

  it("refuses what ffmpeg recognises as something other than audio, naming it", async () => {
    t = await startApp();
    const png = path.join(await tempDir(), "cover.png");
    await runFfmpeg(ffmpegPath, ["-y", "-f", "lavfi", "-i", "color=red:size=16x16", "-frames:v", "1", png]);
    const res = await upload(t, "cover.mp3", await readFile(png));
    expect(await jsonOf(res)).toEqual({
      error: `'cover.mp3' is an image, not an audio file: ${ACCEPTED}`,
      code: "unsupported_format",
    });
    expect(t.app.library.list().total).toBe(0);
    expect(await uploadsOnDisk(t)).toEqual([]);
  });

  it("refuses them too when uploads are kept as sent", async () => {
    t = await startApp(["--audio_normalize", "false"]);
    await expectRefused(t, "song.mp3", hlsPlaylist(), "a playlist (M3U/HLS)");
    expect(t.app.library.list().total).toBe(0);
    expect(await uploadsOnDisk(t)).toEqual([]);
  });

  it("still converts real audio in each accepted container, M4A with its index at the end included", async () => {
    t = await startApp();
    const dir = await tempDir();
    const ogg = await makeTone(path.join(dir, "a.ogg"), {seconds: 1});
    const tone = ["-f", "lavfi", "-i", "sine=frequency=500:duration=1"];
    const m4a = path.join(dir, "a.m4a");
    const flac = path.join(dir, "a.flac");
    await runFfmpeg(ffmpegPath, ["-y", ...tone, "-c:a", "aac", m4a]);
    await runFfmpeg(ffmpegPath, ["-y", ...tone, "-c:a", "flac", flac]);
    for (const file of [ogg, m4a, flac]) {
      const res = await upload(t, path.basename(file), await readFile(file));
      expect(res.status, path.basename(file)).toBe(201);
    }
    expect(
      t.app.library
        .list()
        .items.map((i) => i.relPath)
        .sort(),
    ).toEqual(["a (2).mp3", "a (3).mp3", "a.mp3"]);
  });
});

/**
 * Files in media_dirs are the user's own and are never given to ffmpeg: music-metadata reads their
 * tags and the bytes are served as they are, so a playlist there can point nowhere.
 */
describe("playlists in a media folder", () => {
  it("are not indexed, whether named as a playlist or as audio", async () => {
    const root = await tempDir();
    const mediaDir = path.join(root, "media");
    await makeTone(path.join(mediaDir, "real.mp3"), {seconds: 1});
    await writeFile(path.join(mediaDir, "list.m3u8"), hlsPlaylist());
    await writeFile(path.join(mediaDir, "fake.mp3"), hlsPlaylist());
    t = await startApp([], {dataDir: path.join(root, "data"), mediaDir});
    expect(t.app.library.list().items.map((i) => i.relPath)).toEqual(["real.mp3"]);
    expect(t.logs.some((l) => l.includes("Skipping 'fake.mp3': no audio stream with a known duration was found"))).toBe(
      true,
    );
  });
});

/** The guard itself, below the upload's own check of the first bytes: ffmpeg is never allowed a playlist. */
describe("transcodeToMp3", () => {
  it("decodes only the file it is given: a playlist fails before any entry is opened", async () => {
    const dir = await tempDir();
    const playlist = path.join(dir, "playlist.upload");
    await writeFile(playlist, hlsPlaylist());
    const out = path.join(dir, "out.mp3");
    await expect(transcodeToMp3(ffmpegPath, playlist, out, "stereo")).rejects.toThrow(
      /^\[hls @ 0x[0-9a-f]+\] Format not on whitelist 'mp3,aac,mov,ogg,flac,wav,aiff,matroska'/,
    );
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });
});
