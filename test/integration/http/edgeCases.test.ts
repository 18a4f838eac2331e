import {copyFile, readdir, readFile, rename, rm, utimes, writeFile} from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import Koa from "koa";
import {afterEach, describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {OpenFiles} from "../../../src/files/openFiles.js";
import {FileResources} from "../../../src/http/fileResource.js";
import {FileSender} from "../../../src/http/fileSender.js";
import {HttpListener} from "../../../src/http/listener.js";
import {sendRanged} from "../../../src/http/sendRanged.js";
import type {IndexEntry} from "../../../src/library/types.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {openFilesUnder} from "../../helpers/fds.js";
import {jsonOf, rawRequest} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function appWithOneTrack() {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  const file = await makeTone(path.join(mediaDir, "a.mp3"), {seconds: 2});
  t = await startApp([], {dataDir: path.join(root, "data"), mediaDir});
  const item = t.app.library.list().items[0]!;
  return {file, url: `${t.audioUrl}${t.app.links.signed(t.app.links.itemPath(item))}`};
}

describe("public audio edge cases", () => {
  it("treats a signature of multi-byte characters as unsigned (404, not 500)", async () => {
    const {url} = await appWithOneTrack();
    const res = await fetch(url.replace(/sig=.*$/, `sig=${"é".repeat(32)}`));
    expect(res.status).toBe(404);
    expect(t!.logs.filter((l) => l.includes("ERROR"))).toEqual([]);
  });

  it("never mixes old and new bytes when a file is replaced between requests", async () => {
    const {file, url} = await appWithOneTrack();
    const oldEtag = (await fetch(url, {method: "HEAD"})).headers.get("etag")!;
    const replacement = path.join(path.dirname(file), "new.tmp");
    const oldBytes = await readFile(file);
    await writeFile(replacement, Buffer.alloc(5000, 9));
    await rename(replacement, file);
    // Right after the swap the open file may still be served (it is confirmed at most once a
    // second): then it is the old file through and through, with its own ETag.
    const soon = await rawRequest(url, {headers: {Range: "bytes=100-199", "If-Range": oldEtag}});
    if (soon.status === 206) {
      expect(soon.headers.etag).toBe(oldEtag);
      expect(soon.body.equals(oldBytes.subarray(100, 200))).toBe(true);
    } else {
      expect(soon.status).toBe(200);
      expect(soon.body.equals(Buffer.alloc(5000, 9))).toBe(true);
    }
    // Past that second (before the library's folder watcher has rescanned), only the new file.
    t!.app.files.forgetChecks();
    const res = await rawRequest(url, {headers: {Range: "bytes=100-199", "If-Range": oldEtag}});
    expect(res.status).toBe(200);
    expect(res.body.equals(Buffer.alloc(5000, 9))).toBe(true);
    expect(res.headers.etag).not.toBe(oldEtag);
  });

  it("answers 404 with the reason when a file disappears, and 412 for failed preconditions", async () => {
    const {file, url} = await appWithOneTrack();
    const etag = (await fetch(url, {method: "HEAD"})).headers.get("etag")!;
    expect((await rawRequest(url, {headers: {"If-Match": '"not-it"'}})).status).toBe(412);
    expect((await rawRequest(url, {headers: {"If-Match": etag}})).status).toBe(200);
    expect((await rawRequest(url, {headers: {"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}})).status).toBe(
      412,
    );
    await rm(file);
    // As when the second in which a file just served is trusted has passed (before the library's
    // folder watcher has rescanned and dropped the item).
    t!.app.files.forgetChecks();
    const gone = await fetch(url);
    expect(gone.status).toBe(404);
    expect(await jsonOf(gone)).toEqual({
      error: "This item's file is missing; rescan the library",
      code: "file_missing",
    });
  });
});

describe("admin API edge cases", () => {
  it("audits a failed change with its real status", async () => {
    t = await startApp();
    await fetch(`${t.adminUrl}/api/library/uploads?filename=x.txt`, {method: "POST", body: "not audio"});
    const audit = await jsonOf(await fetch(`${t.adminUrl}/api/audit`));
    expect(audit.entries).toEqual([expect.objectContaining({method: "POST", status: 415, via: "loopback"})]);
  });

  it("says ffmpeg could not run instead of blaming the file, even after ffmpeg worked before", async () => {
    t = await startApp();
    await fetch(`${t.adminUrl}/api/library/uploads?filename=x.txt`, {method: "POST", body: "warms ffmpeg caches"});
    await t.stop();
    t = await startApp([], {ffmpegPath: "/nonexistent/ffmpeg"});
    const wav = await makeTone(path.join(await tempDir(), "in.wav"), {seconds: 1});
    const res = await fetch(`${t.adminUrl}/api/library/uploads?filename=in.wav`, {
      method: "POST",
      body: await readFile(wav),
    });
    expect(res.status).toBe(500);
    const body = await jsonOf(res);
    expect(body.code).toBe("ffmpeg_failed");
    expect(body.error).toBe(
      "ffmpeg could not run (cannot execute '/nonexistent/ffmpeg' (ENOENT)); check the ffmpeg installation",
    );
  });
});

describe("library races", () => {
  it("keeps an upload that lands while a rescan is reading files", async () => {
    const root = await tempDir();
    const mediaDir = path.join(root, "media");
    const seed = await makeTone(path.join(mediaDir, "seed.mp3"), {seconds: 1});
    await Promise.all(Array.from({length: 200}, (_, i) => copyFile(seed, path.join(mediaDir, `copy${i}.mp3`))));
    t = await startApp(["--audio_normalize", "false"], {dataDir: path.join(root, "data"), mediaDir});
    // Touch every file so the rescan has to read them all: the upload lands during that.
    const later = new Date(Date.now() + 60_000);
    await Promise.all((await readdir(mediaDir)).map((n) => utimes(path.join(mediaDir, n), later, later)));
    const scan = t.app.library.scan();
    const upload = await fetch(`${t.adminUrl}/api/library/uploads?filename=during.mp3`, {
      method: "POST",
      body: await readFile(seed),
    });
    expect(upload.status).toBe(201);
    const {id} = await jsonOf(upload);
    expect((await scan).probed).toBe(201);
    expect(t.app.library.get(id)).toBeDefined();
  });

  it("does not scan again after stop()", async () => {
    t = await startApp();
    const running = t.app.library.scan();
    const queued = t.app.library.scan(); // a rescan for when the first finishes
    await t.stop();
    // stop() waits for both: whatever settles after it logs nothing, and no timer is left to scan.
    const linesAtStop = t.logs.length;
    await Promise.all([running, queued]);
    expect(t.logs.slice(linesAtStop)).toEqual([]);
    expect(t.logs.filter((l) => l.includes("ERROR"))).toEqual([]);
    expect(t.app.library.list().total).toBe(0);
    t = undefined;
  });
});

describe("stalled clients", () => {
  it("closes a connection that stops reading after the idle timeout, releasing its file", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "big.mp3");
    await writeFile(file, Buffer.alloc(48 * 1024 * 1024, 1));
    const open = new OpenFiles(new EventBus(new Logger({sink: () => {}})), new Logger({sink: () => {}}));
    await open.start();
    const files = new FileResources(new FileSender(open), open);
    const entry = {absPath: file, item: {mime: "audio/mpeg", relPath: "big.mp3"}} as IndexEntry;
    const app = new Koa();
    app.use(async (ctx) => sendRanged(ctx, await files.resource(entry)));
    const quiet = new Logger({sink: () => {}});
    const listener = new HttpListener("test", app, {host: "127.0.0.1", port: 0, idleTimeoutMs: 300}, quiet);
    await listener.start();
    try {
      const socket = net.connect(listener.port, "127.0.0.1");
      socket.pause();
      socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      socket.on("error", () => {});
      // The server must give up on the stalled client and let go of the file it was sending (kept
      // open, idle, for the next request until the open files close it).
      await expect.poll(() => open.health().details, {timeout: 500}).toEqual({open: 1, inUse: 1});
      await expect.poll(() => open.health().details, {timeout: 5000}).toEqual({open: 1, inUse: 0});
      socket.destroy();
    } finally {
      await listener.stop();
      await open.stop();
    }
    await expect.poll(() => openFilesUnder(dir), {timeout: 2000}).toEqual([]);
  });
});
