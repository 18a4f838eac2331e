import {mkdir, readdir, readFile, writeFile} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {decodeErrors, describeAudio, makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const uploadsDir = (app: TestApp) => path.join(app.dataDir, "uploads");

/** What is on disk under uploads/, temp folder included. */
async function onDisk(app: TestApp): Promise<string[]> {
  const top = await readdir(uploadsDir(app)).catch(() => [] as string[]);
  const incoming = await readdir(path.join(uploadsDir(app), ".incoming")).catch(() => [] as string[]);
  return [...top.filter((n) => n !== ".incoming"), ...incoming.map((n) => `.incoming/${n}`)].sort();
}

function upload(app: TestApp, filename: string, body: Buffer | string, query = "") {
  return fetch(`${app.adminUrl}/api/library/uploads?filename=${encodeURIComponent(filename)}${query}`, {
    method: "POST",
    headers: {"Content-Type": "application/octet-stream"},
    body,
  });
}

describe("uploads", () => {
  it("normalises an upload to MP3 CBR 128 kb/s 44.1 kHz and indexes it", async () => {
    t = await startApp();
    const wav = await makeTone(path.join(await tempDir(), "in.wav"), {seconds: 3, sampleRate: 22050, channels: 1});
    const res = await upload(t, "Bedtime Story.wav", await readFile(wav));
    expect(res.status).toBe(201);
    const item = await jsonOf(res);
    expect(item).toMatchObject({
      source: "upload",
      relPath: "Bedtime Story.mp3",
      mime: "audio/mpeg",
      sampleRate: 44100,
      channels: 2,
    });
    expect(item.duration).toBeCloseTo(3, 0);
    const stored = path.join(uploadsDir(t), "Bedtime Story.mp3");
    expect(await describeAudio(stored)).toMatch(/^mp3.*44100 Hz, stereo, .*128 kb\/s/);
    expect(await decodeErrors(stored)).toBe("");
    expect(await onDisk(t)).toEqual(["Bedtime Story.mp3"]);
    expect(t.app.library.get(item.id)?.title).toBe("Bedtime Story");

    const mono = await upload(t, "Bedtime Story.wav", await readFile(wav), "&channels=mono");
    expect(await jsonOf(mono)).toMatchObject({relPath: "Bedtime Story (2).mp3", channels: 1});
  });

  it("rejects a non-audio file with the reason and keeps nothing", async () => {
    t = await startApp();
    const res = await upload(t, "notes.txt", "these are my shopping notes, not a song");
    expect(res.status).toBe(415);
    expect(await jsonOf(res)).toEqual({
      error: "'notes.txt' is not audio that can be played (Invalid data found when processing input)",
      code: "not_audio",
    });
    expect(await onDisk(t)).toEqual([]);
    expect(t.app.library.list().total).toBe(0);
  });

  it("leaves nothing behind when the client dies mid-upload", async () => {
    t = await startApp();
    const url = new URL(`${t.adminUrl}/api/library/uploads?filename=big.mp3`);
    await new Promise<void>((resolve) => {
      const req = http.request(url, {method: "POST", headers: {"Content-Length": String(5 * 1024 * 1024)}});
      req.on("error", () => resolve());
      req.write(Buffer.alloc(256 * 1024, 1), () => {
        // Wait until the server has started writing the temp file, then cut the connection.
        const poll = setInterval(async () => {
          if ((await onDisk(t!)).some((n) => n.startsWith(".incoming/"))) {
            clearInterval(poll);
            req.destroy();
            resolve();
          }
        }, 10);
      });
    });
    await expect.poll(() => onDisk(t!), {timeout: 5000, interval: 50}).toEqual([]);
    expect(t.app.library.list().total).toBe(0);
  });

  it("refuses uploads over upload_max_mb, declared or streamed, and keeps nothing", async () => {
    t = await startApp(["--upload_max_mb", "1"]);
    const declared = await upload(t, "huge.mp3", Buffer.alloc(2 * 1024 * 1024));
    expect(declared.status).toBe(413);
    expect(await jsonOf(declared)).toEqual({
      error: "Upload is larger than the 1 MB limit (upload_max_mb)",
      code: "upload_too_large",
    });

    // Chunked: no Content-Length, so the limit is enforced while streaming.
    const chunks = (async function* () {
      for (let i = 0; i < 24; i++) yield Buffer.alloc(64 * 1024, i);
    })();
    const streamed = await fetch(`${t.adminUrl}/api/library/uploads?filename=huge.mp3`, {
      method: "POST",
      body: chunks as unknown as RequestInit["body"],
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await onDisk(t)).toEqual([]);
  });

  it("without normalisation keeps the file as sent, but still only if it is audio", async () => {
    t = await startApp(["--audio_normalize", "false"]);
    const mp3 = await readFile(await makeTone(path.join(await tempDir(), "a.mp3"), {seconds: 1, bitrate: "96k"}));
    const ok = await upload(t, "song.mp3", mp3);
    expect(ok.status).toBe(201);
    expect((await readFile(path.join(uploadsDir(t), "song.mp3"))).equals(mp3)).toBe(true);

    const wrongType = await upload(t, "song.exe", mp3);
    expect(wrongType.status).toBe(415);
    expect((await jsonOf(wrongType)).error).toBe(
      "'song.exe' is not audio that can be played (the extension must be one of .mp3, .m4a, .m4b, .mp4, .aac, .ogg, .oga, .opus, .flac, .wav)",
    );
    const garbage = await upload(t, "fake.mp3", Buffer.alloc(2048, 3));
    expect(garbage.status).toBe(415);
    expect((await jsonOf(garbage)).error).toMatch(/^'fake\.mp3' is not audio that can be played \(/);
    expect(await onDisk(t)).toEqual(["song.mp3"]);
  });

  it("deletes uploads from disk and index", async () => {
    t = await startApp(["--audio_normalize", "false"]);
    const mp3 = await readFile(await makeTone(path.join(await tempDir(), "a.mp3"), {seconds: 1}));
    const item = await jsonOf(await upload(t, "gone.mp3", mp3));
    const res = await fetch(`${t.adminUrl}/api/library/${item.id}`, {method: "DELETE"});
    expect(res.status).toBe(204);
    expect(await onDisk(t)).toEqual([]);
    expect(t.app.library.get(item.id)).toBeUndefined();
  });

  it("asks for a file name and a valid channel layout", async () => {
    t = await startApp();
    const noName = await fetch(`${t.adminUrl}/api/library/uploads`, {method: "POST", body: "x"});
    expect(noName.status).toBe(400);
    expect(await jsonOf(noName)).toEqual({
      error: "Name the file: POST /api/library/uploads?filename=story.mp3",
      code: "missing_filename",
    });
    const badChannels = await upload(t, "a.mp3", "x", "&channels=surround");
    expect(await jsonOf(badChannels)).toEqual({error: "channels must be 'mono' or 'stereo'", code: "bad_channels"});
    const empty = await upload(t, "a.mp3", "");
    expect(await jsonOf(empty)).toEqual({
      error: "The upload was empty: send the file as the request body",
      code: "upload_empty",
    });
  });

  it("removes uploads a crash cut off at the next start", async () => {
    const root = await tempDir();
    const dataDir = path.join(root, "data");
    const incoming = path.join(dataDir, "uploads", ".incoming");
    await mkdir(incoming, {recursive: true});
    await writeFile(path.join(incoming, "half.upload"), Buffer.alloc(1000));
    t = await startApp([], {dataDir, mediaDir: path.join(root, "media")});
    expect(await readdir(incoming)).toEqual([]);
    expect(t.logs.some((l) => l.includes("Removed 1 unfinished upload(s) left by an earlier stop"))).toBe(true);
  });
});
