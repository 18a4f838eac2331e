import {execFile} from "node:child_process";
import {readFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {describe, expect, it} from "vitest";
import {FetchPolicy} from "../../../src/core/fetchPolicy.js";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {mpegHeader} from "../../../src/library/mpegHeader.js";
import {openArriving} from "../../../src/upnpRenderers/arrivingAudio.js";
import {ffmpegPath} from "../../helpers/audio.js";
import {DmrLikeDevice, trackDidl} from "../../helpers/dmrDevice.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {host, MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();
const run = promisify(execFile);

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A DIDL-Lite with no duration: the length is what the audio says. */
const noDuration = (url: string, title: string) => trackDidl(url, title).replace(/ duration="[^"]*"/, "");

const tone = (seconds: number) => ["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`, "-ac", "2"];
const MP3_CUT_AT = 1001;

/**
 * The sources: a bare MP3 cut at an odd byte inside its third frame, web pages served as MP3, a
 * FLAC written to a file (STREAMINFO knows its length) and one written to a pipe, as a streaming
 * server's is (STREAMINFO says 0 samples), each 3.3 s, with ffmpeg's 8 KB of padding.
 */
async function sources() {
  const dir = await tempDir("yss-start-");
  const mp3 = path.join(dir, "t.mp3");
  await runFfmpeg(ffmpegPath, ["-y", ...tone(3), "-b:a", "192k", "-write_xing", "0", "-id3v2_version", "0", mp3]);
  const flac = path.join(dir, "t.flac");
  await runFfmpeg(ffmpegPath, ["-y", ...tone(3.3), "-ar", "44100", "-c:a", "flac", flac]);
  const piped = await run(
    ffmpegPath,
    ["-v", "error", ...tone(3.3), "-ar", "44100", "-c:a", "flac", "-f", "flac", "-"],
    {
      encoding: "buffer",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const bodies: Record<string, {type: string; body: Buffer}> = {
    "/cut.mp3": {type: "audio/mpeg", body: (await readFile(mp3)).subarray(MP3_CUT_AT)},
    "/page.mp3": {type: "audio/mpeg", body: Buffer.from(`<!doctype html><p>${"Not audio. ".repeat(1500)}</p>`)},
    "/short.mp3": {type: "audio/mpeg", body: Buffer.from("404: Not Found")},
    "/file.flac": {type: "audio/flac", body: await readFile(flac)},
    "/pipe.flac": {type: "audio/flac", body: piped.stdout},
  };
  // /held.flac sends its first 16 KB, and the rest only once the test lets it go.
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  const {origin} = await host("127.0.0.1", (req, res) => {
    const held = req.url === "/held.flac";
    const source = bodies[held ? "/file.flac" : (req.url ?? "")];
    if (!source) return void res.writeHead(404).end();
    res.writeHead(200, {"Content-Type": source.type});
    if (req.method === "HEAD") return void res.end();
    if (!held) return void res.end(source.body);
    res.write(source.body.subarray(0, 16_384));
    void released.then(() => res.end(source.body.subarray(16_384)));
  });
  return {
    url: (name: string) => `${origin}/${name}`,
    mp3: await readFile(mp3),
    pipedFlac: piped.stdout,
    letGo: () => letGo(),
  };
}

async function setUp() {
  const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
  const dmr = await DmrLikeDevice.open(s.base);
  const src = await sources();
  const renderer = s.t.app.upnp.renderer(MINI);
  if (!renderer) throw new Error("no renderer for the Mini");
  const cast = (name: string) =>
    dmr.ok("SetAVTransportURI", {
      CurrentURI: xml(src.url(name)),
      CurrentURIMetaData: xml(noDuration(src.url(name), name)),
    });
  const relay = () => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
  return {s, dmr, src, renderer, cast, relay};
}

describe("a cast starts at its first frame wherever its bytes begin", () => {
  it("hands the encoder an MP3 cut mid-frame from its first whole frame: the bytes before it are dropped", async () => {
    const src = await sources();
    const cut: string[] = [];
    const arriving = await openArriving(src.url("cut.mp3"), {
      policy: new FetchPolicy(["127.0.0.1"]),
      maxBytes: 10_000_000,
      answerMs: 10_000,
      idleMs: 10_000,
      signal: new AbortController().signal,
      cut: (why) => cut.push(why),
    });
    const chunks: Buffer[] = [];
    for await (const chunk of arriving.audio) chunks.push(chunk as Buffer);
    const audio = Buffer.concat(chunks);
    expect(arriving.kind).toBe("mpeg");
    expect(mpegHeader(audio, 0)).toMatchObject({version: 1, layer: 3, bitrate: 192, sampleRate: 44_100});
    // Exactly the source's own frames, from the first one after the cut.
    const dropped = src.mp3.length - MP3_CUT_AT - audio.length;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(627);
    expect(audio.equals(src.mp3.subarray(MP3_CUT_AT + dropped))).toBe(true);
    expect(cut).toEqual([]);
  });

  it("plays an MP3 cut mid-frame as a track of the right length", async () => {
    const {dmr, renderer, cast, relay} = await setUp();
    await cast("cut.mp3");
    await dmr.play();
    await waitFor(() => renderer.trackSeconds() !== undefined, "the track's length", 30_000);
    // 3 s less the 1,001 bytes cut (0.04 s at 192 kb/s), within one frame (26 ms) and the encoder's padding.
    expect(renderer.trackSeconds()).toBeGreaterThan(2.93);
    expect(renderer.trackSeconds()).toBeLessThan(3.02);
    await waitFor(() => relay()[0]?.complete === true, "the track played", 30_000);
    expect(relay()[0]?.bytes).toBeGreaterThan(2.93 * 16_000);
  }, 60_000);

  it("still refuses a web page or a short text served as MP3, in the same words, before the player is touched", async () => {
    const {dmr, cast, relay} = await setUp();
    for (const name of ["page.mp3", "short.mp3"]) {
      await cast(name);
      const played = await dmr.call("Play", {Speed: "1"});
      expect(played.code).toBe(714);
      expect(played.error).toMatch(
        new RegExp(
          `^http://127\\.0\\.0\\.1:\\d+/${name.replace(".", "\\.")} did not send audio \\(it served audio/mpeg\\)$`,
        ),
      );
    }
    expect(relay()).toHaveLength(0);
  }, 60_000);

  it("gives a FLAC track its own length: STREAMINFO's from its start, its frames' once all came", async () => {
    const {dmr, renderer, cast, relay, src} = await setUp();
    await cast("held.flac");
    await dmr.play();
    // Known from the first bytes, with no DIDL-Lite duration, while the rest has not come.
    expect(renderer.cast?.queue?.current()?.track.audio.live?.done).toBe(false);
    expect(renderer.trackSeconds()).toBeCloseTo(3.3, 6);
    src.letGo();
    await waitFor(() => renderer.cast?.queue?.current()?.track.audio.live?.done === true, "all of it made", 30_000);
    // ffmpeg's raw FLAC reader dropped the last, short frame (3.24 s); its frames say 3.3 s.
    expect(renderer.trackSeconds()).toBeCloseTo(3.3, 6);
    await waitFor(() => relay()[0]?.complete === true, "the track played", 30_000);
    // All of it went to the player, its first frame too (ffmpeg's `nobuffer` dropped it: 3.14 s came).
    expect(relay()[0]?.bytes).toBeGreaterThanOrEqual(3.3 * 16_000);
  }, 60_000);

  it("gives a FLAC written to a pipe (STREAMINFO says 0 samples) the length of its frames", async () => {
    const {dmr, renderer, cast, relay, src} = await setUp();
    expect(src.pipedFlac.readUInt32BE(8 + 14)).toBe(0);
    await cast("pipe.flac");
    await dmr.play();
    await waitFor(() => renderer.trackSeconds() !== undefined, "the track's length", 30_000);
    expect(renderer.trackSeconds()).toBeCloseTo(3.3, 6);
    await waitFor(() => relay()[0]?.complete === true, "the track played", 30_000);
  }, 60_000);
});
