import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {ffmpegPath} from "../../helpers/audio.js";
import {type Icecast, startIcecast, until} from "../../helpers/icecast.js";
import {FAST_RADIO, hasMp3Frames, listen, putStream, streamView, tinyServer} from "../../helpers/radio.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

const ICECAST = systemNeed("icecast2");

let t: TestApp;
let icecast: Icecast;
let second: Buffer;
let hlsDir: string;
const servers: Array<{close(): Promise<void>}> = [];

/** How much of an MP3 is sound rather than the empty frames of our silence (4 non-zero bytes a frame). */
function soundBytes(mp3: Buffer): number {
  let nonZero = 0;
  for (const b of mp3) if (b !== 0) nonZero++;
  return nonZero - (mp3.length / 417) * 4;
}

async function server(answer: Parameters<typeof tinyServer>[0]) {
  const s = await tinyServer(answer);
  servers.push(s);
  return s;
}

describe.skipIf(!ICECAST.path)("a station that misbehaves", () => {
  beforeAll(async () => {
    icecast = await startIcecast();
    await icecast.feed("kids");
    const dir = await tempDir("yss-radio-");
    const one = path.join(dir, "one.mp3");
    await runFfmpeg(ffmpegPath, [
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=500:sample_rate=44100",
      "-t",
      "1",
      "-ac",
      "2",
      "-c:a",
      "libmp3lame",
      "-b:a",
      "128k",
      "-f",
      "mp3",
      one,
    ]);
    second = await readFile(one);
    hlsDir = path.join(dir, "hls");
    await runFfmpeg(ffmpegPath, [
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=600:sample_rate=44100",
      "-t",
      "6",
      "-ac",
      "2",
      "-c:a",
      "aac",
      "-f",
      "hls",
      "-hls_time",
      "2",
      "-hls_list_size",
      "0",
      "-hls_segment_filename",
      path.join(hlsDir.replace(/hls$/, ""), "seg%d.ts"),
      path.join(dir, "live.m3u8"),
    ]);
    hlsDir = dir;
    t = await startApp([], {radio: FAST_RADIO});
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    await icecast?.stop();
    await Promise.all(servers.map((s) => s.close()));
  });

  it("refuses a web page, a station file that points back at itself, and one whose body never comes, saying why", async () => {
    const page = await server((_req, res) =>
      res.writeHead(200, {"Content-Type": "text/html; charset=utf-8"}).end("<html>"),
    );
    const html = await putStream(t, "web", {radio: {url: `${page.url}/listen`}});
    expect(html.status).toBe(400);
    expect(html.body.error).toBe(
      `${page.url}/listen answers a web page, not audio: use the station's stream address (often ending .mp3, .aac, .pls or .m3u)`,
    );
    const loop = await server((req, res, base) =>
      res
        .writeHead(200, {"Content-Type": "audio/x-mpegurl"})
        .end(`#EXTM3U\n${base}${req.url === "/a.m3u" ? "/b.m3u" : "/a.m3u"}\n`),
    );
    const looped = await putStream(t, "loop", {radio: {url: `${loop.url}/a.m3u`}});
    expect(looped.status).toBe(400);
    expect(looped.body.error).toBe(
      `The station file at ${loop.url}/a.m3u points back at itself (through ${loop.url}/a.m3u)`,
    );
    const silent = await server((_req, res) => {
      res.writeHead(200, {"Content-Type": "audio/x-scpls"});
      res.flushHeaders();
    });
    const hung = await putStream(t, "hung", {radio: {url: `${silent.url}/listen.pls`}});
    expect(hung.status).toBe(400);
    expect(hung.body.error).toBe(
      `The station at ${silent.url}/listen.pls could not be played: The station file at ${silent.url}/listen.pls did not arrive within 0.5 s`,
    );
    expect(t.app.streams.has("web") || t.app.streams.has("loop") || t.app.streams.has("hung")).toBe(false);
  });

  it("refuses one of this service's own streams as a station (a stream listening to itself)", async () => {
    await putStream(t, "queue", {items: []});
    const {signedPath} = await streamView(t, "queue");
    const own = await putStream(t, "echo", {radio: {url: `${t.audioUrl}${signedPath}`}});
    expect(own.status).toBe(400);
    // The signature is the stream's key: shown as '?…', as every station address's query is.
    expect(own.body.error).toBe(
      `${t.audioUrl}${signedPath.split("?")[0]}?… is one of this service's own streams: a station stream cannot play a stream (give it the station's own address, or queue the stream's items instead)`,
    );
  });

  it("follows a .pls station file to its stream", async () => {
    const pls = await server((_req, res) =>
      res
        .writeHead(200, {"Content-Type": "audio/x-scpls"})
        .end(`[playlist]\nNumberOfEntries=2\nFile2=http://127.0.0.2/no\nFile1=${icecast.url}/kids\n`),
    );
    expect((await putStream(t, "pls", {radio: {url: `${pls.url}/kids.pls`}})).status).toBe(200);
    const player = await listen(t, "pls");
    await until(async () => (await streamView(t, "pls")).radio.state === "playing", "the station playing");
    expect(await icecast.listeners("kids")).toBe(1);
    player.close();
  }, 20_000);

  it("fills a stall with silence, reconnects, and plays again", async () => {
    let connections = 0;
    const stalling = await server((_req, res) => {
      connections++;
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      res.write(second); // one second of audio, then nothing: the connection stays open
    });
    await putStream(t, "stall", {radio: {url: `${stalling.url}/stream.mp3`}});
    const checked = connections; // the PUT's own look at the station
    const player = await listen(t, "stall", true);
    await until(async () => (await streamView(t, "stall")).radio.state === "playing", "the station playing");
    await until(() => connections >= checked + 2, "a reconnect after the stall");
    expect(t.logs.some((l) => l.includes(`Station ${stalling.url}/stream.mp3 sent nothing for`))).toBe(true);
    const at = player.bytes();
    await until(() => player.bytes() > at + 8000, "audio (silence) still flowing");
    expect(hasMp3Frames(player.received())).toBe(true);
    player.close();
  }, 20_000);

  it("says a station that stays down is down (state, error, health), and the player hears a message over the silence", async () => {
    const gone = await server((_req, res) => res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(second));
    await putStream(t, "dead", {radio: {url: `${gone.url}/stream.mp3`}});
    await gone.close();
    const player = await listen(t, "dead", true);
    await until(async () => (await streamView(t, "dead")).radio.state === "down", "the station down", 10_000);
    const {radio} = await streamView(t, "dead");
    expect(radio.error).toBe(`connection refused by ${new URL(gone.url).host}`);
    const health = (await (await fetch(`${t.adminUrl}/api/health`)).json()) as {services: Record<string, unknown>};
    expect(health.services.radio).toMatchObject({
      degraded: true,
      error: `Not answering: dead (connection refused by ${new URL(gone.url).host})`,
    });
    expect(
      t.logs.some((l) => l.includes(`Station ${gone.url}/stream.mp3 is not answering: connection refused by`)),
    ).toBe(true);
    // The spoken clip is made once, in the data folder, and sent among the silence.
    await until(
      async () =>
        (await readdir(path.join(t.dataDir, "radio")).catch((): string[] => [])).includes("not-answering.mp3"),
      "the spoken message",
      20_000,
    );
    const from = player.received().length;
    await until(() => soundBytes(player.received().subarray(from)) > 2000, "the spoken message at the player", 10_000);
    player.close();
  }, 40_000);

  it("holds a station that floods (10 MB/s) to a station's pace, with bounded memory", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x55);
    const flood = await server((_req, res) => {
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      const push = () => {
        while (res.write(chunk)) if (res.writableLength > 1e7) break;
        if (!res.destroyed) setTimeout(push, 5);
      };
      push();
    });
    await putStream(t, "flood", {radio: {url: `${flood.url}/stream.mp3`}});
    const before = process.memoryUsage().rss;
    const player = await listen(t, "flood");
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // 64 KB/s after a 256 KB burst: never the 20 MB the station offered.
    expect(player.bytes()).toBeLessThan(256 * 1024 + 4 * 64 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(60 * 1024 * 1024);
    // The service still answers beside the flood (one that held its loop would never).
    expect((await fetch(`${t.adminUrl}/api/health`)).status).toBe(200);
    player.close();
  }, 20_000);

  it("reads an HLS station here, segment by segment, and never fetches a segment from a host the policy refuses", async () => {
    const files = await server(async (req, res) => {
      const name = (req.url ?? "").slice(1);
      const body = await readFile(path.join(hlsDir, name)).catch(() => undefined);
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res
        .writeHead(200, {"Content-Type": name.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t"})
        .end(body);
    });
    await putStream(t, "hls", {radio: {url: `${files.url}/live.m3u8`}});
    const player = await listen(t, "hls", true);
    await until(async () => (await streamView(t, "hls")).radio.state === "playing", "the HLS station playing", 10_000);
    await until(() => soundBytes(player.received()) > 4000, "converted audio");
    player.close();

    const elsewhere = await server((_req, res) =>
      res
        .writeHead(200, {"Content-Type": "application/vnd.apple.mpegurl"})
        .end("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://127.0.0.2:9/seg0.ts\n"),
    );
    await putStream(t, "hls-out", {radio: {url: `${elsewhere.url}/live.m3u8`}});
    const other = await listen(t, "hls-out");
    await until(async () => (await streamView(t, "hls-out")).radio.error !== null, "the refusal", 10_000);
    expect((await streamView(t, "hls-out")).radio.error).toContain(
      "127.0.0.2 is a loopback address, which this service does not fetch from unless you allow it",
    );
    other.close();
  }, 30_000);

  it("never shows a station's password: not in the API, the events or the log", async () => {
    const events: string[] = [];
    t.app.bus.on({}, "radio.stateChanged", (e) => {
      events.push(JSON.stringify(e));
    });
    const gone = await server((_req, res) => res.writeHead(404).end());
    const url = `${gone.url.replace("http://", "http://family:s3cret@")}/stream.mp3`;
    await putStream(t, "private", {radio: {url: `${icecast.url.replace("http://", "http://family:s3cret@")}/kids`}});
    expect(JSON.stringify(await streamView(t, "private"))).not.toContain("s3cret");
    const refused = await putStream(t, "private2", {radio: {url}});
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe(
      `The station at ${gone.url}/stream.mp3 could not be played: ${gone.url}/stream.mp3 answered 404`,
    );
    const player = await listen(t, "private");
    await until(async () => (await streamView(t, "private")).radio.state === "playing", "the station playing");
    expect(JSON.stringify(await streamView(t, "private"))).not.toContain("s3cret");
    player.close();
    expect(events.join("\n")).not.toContain("s3cret");
    expect(t.logs.join("\n")).not.toContain("s3cret");
  }, 20_000);
});

describe("radio without ffmpeg", () => {
  it.skipIf(!ICECAST.path)(
    "says a station that needs converting is down, naming ffmpeg, and the service keeps running",
    async () => {
      const icecast2 = await startIcecast();
      await icecast2.feed("aac", "aac");
      const app = await startApp([], {radio: FAST_RADIO, ffmpegPath: "/nonexistent/ffmpeg"});
      try {
        await putStream(app, "aac", {radio: {url: `${icecast2.url}/aac`}});
        const player = await listen(app, "aac");
        await until(async () => (await streamView(app, "aac")).radio.state === "down", "the station down", 10_000);
        expect((await streamView(app, "aac")).radio.error).toBe(
          "ffmpeg was not found at '/nonexistent/ffmpeg': install ffmpeg or set FFMPEG_PATH",
        );
        expect((await fetch(`${app.adminUrl}/api/health`)).status).toBe(200);
        player.close();
        await app.stop();
      } finally {
        await app.stop();
        await icecast2.stop();
      }
    },
    40_000,
  );
});
