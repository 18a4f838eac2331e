import {randomBytes} from "node:crypto";
import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {ffmpegPath, makeTone} from "../../helpers/audio.js";
import {DmrLikeDevice, trackDidl} from "../../helpers/dmrDevice.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {musicAssistantStreams} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {host, MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Sources that misbehave, each at its own path: one that calls a web page audio, one that stops
 * after a byte, one that never ends, one that stops sending and holds the connection, one that
 * redirects to this service's own admin listener, and a station whose title changes 100 times a
 * second.
 */
async function badSources(adminUrl: string) {
  const tone = await readFile(await makeTone(path.join(await tempDir("yss-bad-"), "t.mp3"), {seconds: 2}));
  const pcm = path.join(await tempDir("yss-pcm-"), "t.raw");
  const tone1s = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-ac", "1", "-ar", "22050"];
  await runFfmpeg(ffmpegPath, ["-y", ...tone1s, "-f", "s16be", pcm]);
  const raw = await readFile(pcm);
  const held = new Set<import("node:http").ServerResponse>();
  const waiting: Array<() => void> = [];
  const {origin} = await host("127.0.0.1", (req, res) => {
    const route = req.url ?? "";
    if (route === "/redirect.mp3") {
      res.writeHead(302, {Location: `${adminUrl}/api/health`}).end();
      return;
    }
    if (route === "/pcm.mp3") {
      // RFC 2586's L16: big-endian 16-bit samples, the layout in the type, no header at all.
      res.writeHead(200, {"Content-Type": "audio/L16;rate=22050;channels=1"});
      return void res.end(req.method === "HEAD" ? undefined : raw);
    }
    res.writeHead(200, {
      "Content-Type": "audio/mpeg",
      ...(route === "/titles.mp3" ? {"icy-metaint": "16", "icy-name": "Chatty FM"} : {}),
    });
    if (req.method === "HEAD") return void res.end();
    if (route === "/page.mp3") return void res.end("<!doctype html><html><body>Not audio</body></html>");
    if (route === "/one-byte.mp3") return void res.end(tone.subarray(0, 1));
    if (route === "/garbage.mp3") return void res.end(Buffer.concat([tone.subarray(0, 16), randomBytes(60_000)]));
    if (route === "/trickle.mp3") {
      // An MP3's first bytes, then one byte every 50 ms: never silent for long, never enough to play.
      res.write(tone.subarray(0, 16));
      let at = 16;
      const timer = setInterval(() => res.write(tone.subarray(at, ++at)), 50);
      res.on("close", () => clearInterval(timer));
      return;
    }
    if (route === "/stalls.mp3") {
      held.add(res);
      return void res.write(tone);
    }
    if (route === "/frames-first.mp3") {
      // Its tag and first frames, then nothing until the test lets the rest go: fewer frames than
      // the encoder needs for its first (the decoder's delay and lame's look-ahead, about four).
      waiting.push(() => res.end(tone.subarray(FIRST_FRAMES)));
      return void res.write(tone.subarray(0, FIRST_FRAMES));
    }
    // Endless: the tone over and over (with a title every 16 bytes on the station) until the client goes.
    let n = 0;
    const timer = setInterval(() => {
      if (route === "/titles.mp3")
        for (let at = 0; at + 16 <= tone.length; at += 16) {
          const title = Buffer.from(`StreamTitle='Song ${n++}';`);
          const meta = Buffer.alloc(1 + Math.ceil(title.length / 16) * 16);
          meta[0] = Math.ceil(title.length / 16);
          title.copy(meta, 1);
          res.write(Buffer.concat([tone.subarray(at, at + 16), meta]));
        }
      else res.write(tone);
    }, 100);
    res.on("close", () => clearInterval(timer));
  });
  const release = () => {
    for (const go of waiting.splice(0)) go();
  };
  return {url: (name: string) => `${origin}/${name}.mp3`, held, release};
}

/** An ID3 tag, the Info frame and two frames of audio at 128 kb/s (417 bytes a frame). */
const FIRST_FRAMES = 1_400;

const relayFetches = (s: Awaited<ReturnType<typeof miniRenderer>>) =>
  s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));

async function setUp() {
  const s = await miniRenderer(start, [], {
    linkToOwnAudioListener: true,
    castSource: {maxBytes: 100_000, idleMs: 1500},
  });
  const sources = await badSources(s.t.adminUrl);
  const dmr = await DmrLikeDevice.open(s.base);
  const cut: Array<{title: string; why: string}> = [];
  s.t.app.bus.on({}, "upnp.castTrackEnded", (e) => {
    cut.push(e);
  });
  const cast = (name: string) =>
    dmr.ok("SetAVTransportURI", {
      CurrentURI: xml(sources.url(name)),
      CurrentURIMetaData: xml(trackDidl(sources.url(name), name, 60)),
    });
  return {s, dmr, cut, cast, sources};
}

describe("a cast's source that misbehaves ends its track, and the player and the service carry on", () => {
  it("refuses a web page served as audio, and a source that stops after one byte, before the player is touched", async () => {
    const {dmr, cast, s} = await setUp();
    await cast("page");
    const page = await dmr.call("Play", {Speed: "1"});
    expect(page.code).toBe(714);
    expect(page.error).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/page\.mp3 did not send audio \(it served audio\/mpeg\)$/);
    await cast("one-byte");
    const oneByte = await dmr.call("Play", {Speed: "1"});
    expect(oneByte.code).toBe(714);
    expect(oneByte.error).toMatch(/one-byte\.mp3 did not send audio/);
    expect(s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"))).toHaveLength(0);
  }, 60_000);

  it("ends a track whose source never stops at what a cast track may take, with an event and a log line", async () => {
    const {dmr, cut, cast, s} = await setUp();
    await cast("endless");
    await dmr.play();
    await waitFor(() => cut.length > 0, "the endless track cut", 30_000);
    expect(cut[0]).toMatchObject({title: "endless"});
    expect(cut[0]?.why, JSON.stringify(cut)).toMatch(/endless\.mp3 sent more than the 97\.7 KB a cast track may take$/);
    expect(s.t.logs.some((l) => l.includes("'Bedroom Mini': 'endless' ended early:"))).toBe(true);
    // The player's answer ends once it has heard it all; the stop may be told before its last byte is in.
    await waitFor(
      () => dmr.state.TransportState === "STOPPED" && relayFetches(s)[0]?.complete === true,
      "the track played out",
      60_000,
    );
    // The player heard what came (up to the limit), converted.
    const relay = relayFetches(s);
    expect(relay[0]?.complete).toBe(true);
    expect(relay[0]?.bytes).toBeGreaterThan(16_000);
  }, 90_000);

  it("starts the player on MPEG frames while the encoder makes its first, and plays the audio once it comes", async () => {
    const {dmr, cast, s, sources, cut} = await setUp();
    await cast("frames-first");
    // The relay card's start (a cloud round trip, the player's fetch) no longer waits for the encoder:
    // Play answers while the source still holds its rest (not once its silence ended the track).
    await dmr.ok("Play", {Speed: "1"});
    expect(cut).toEqual([]);
    await waitFor(() => relayFetches(s).length > 0, "the player asking its relay", 30_000);
    expect(dmr.state.TransportState).toBe("PLAYING");
    expect(relayFetches(s)[0]?.firstByteAt).toBeUndefined();
    sources.release();
    await waitFor(
      () => dmr.state.TransportState === "STOPPED" && relayFetches(s)[0]?.complete === true,
      "the track played out",
      30_000,
    );
    // Two seconds of tone, converted to the relay's 16,000 bytes a second.
    expect(relayFetches(s)[0]?.bytes).toBeGreaterThan(1.8 * 16_000);
  }, 60_000);

  it("ends a track whose source stops sending but holds the connection", async () => {
    const {dmr, cut, cast} = await setUp();
    await cast("stalls");
    await dmr.play();
    await waitFor(() => cut.length > 0, "the stalled track cut", 30_000);
    expect(cut[0]?.why).toMatch(/stalls\.mp3 sent nothing for 1\.5 s$/);
    await waitFor(() => dmr.state.TransportState === "STOPPED", "the track played out", 30_000);
  }, 60_000);

  it("plays raw PCM, which has no header, as the layout its type names", async () => {
    const {dmr, cast, s} = await setUp();
    await cast("pcm");
    await dmr.play();
    await waitFor(
      () => dmr.state.TransportState === "STOPPED" && relayFetches(s)[0]?.complete === true,
      "played",
      30_000,
    );
    // A second of tone, converted to the relay's 16,000 bytes a second.
    expect(relayFetches(s)[0]?.bytes).toBeGreaterThan(0.9 * 16_000);
  }, 60_000);

  it("refuses at Play what starts like MP3 but cannot be converted, before the player leaves its card", async () => {
    const {dmr, cast, s, cut} = await setUp();
    await cast("garbage");
    const played = await dmr.call("Play", {Speed: "1"});
    expect(played.code).toBe(714);
    expect(played.error).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/garbage\.mp3 could not be converted \(/);
    expect(relayFetches(s)).toHaveLength(0);
    expect(cut, JSON.stringify(cut)).toEqual([]);
  }, 60_000);

  it("ends a track whose source trickles a byte at a time", async () => {
    const {dmr, cut, cast} = await setUp();
    await cast("trickle");
    const played = dmr.call("Play", {Speed: "1"});
    await waitFor(() => cut.length > 0, "the trickling track cut", 30_000);
    expect(cut[0]?.why).toMatch(/trickle\.mp3 sent only \d+ bytes in 1\.5 s, too little to play$/);
    await played;
  }, 60_000);

  it("refuses a seek in a track still arriving that its source cannot bring within the wait, saying how far it can go", async () => {
    const {dmr, s} = await setUp();
    const ma = await musicAssistantStreams([{name: "Long", artist: "A", album: "B", seconds: 60, frequency: 500}], {
      codec: "mp3",
      pace: {burstSeconds: 0, rate: 1},
    });
    atFileEnd(() => ma.stop());
    const url = ma.url("single", 0);
    await dmr.ok("SetAVTransportURI", {CurrentURI: xml(url), CurrentURIMetaData: xml(trackDidl(url, "Long", 60))});
    await dmr.play();
    await waitFor(() => (relayFetches(s)[0]?.bytes ?? 0) > 0, "the first audio", 30_000);
    const ahead = await dmr.call("Seek", {Unit: "REL_TIME", Target: "0:00:55"});
    expect(ahead.code).toBe(711);
    expect(ahead.error).toMatch(
      /^0:00:55 has not arrived yet: 0:00:\d\d of 'Long' has come so far and its server sends it at about play speed, so at most 0:00:\d\d can be reached now; seek there, or further once more has come$/,
    );
    await dmr.ok("Stop");
  }, 60_000);

  it("never fetches a redirect into this service's own admin listener", async () => {
    const {dmr, cast} = await setUp();
    await cast("redirect");
    const played = await dmr.call("Play", {Speed: "1"});
    expect(played.code).toBe(501);
    expect(played.error).toMatch(
      /redirect\.mp3: it redirects to http:\/\/127\.0\.0\.1:\d+\/api\/health, and 127\.0\.0\.1:\d+ is this service's own admin listener, which it never fetches from/,
    );
  }, 60_000);

  it("shows a station's title at most once a second when it changes a hundred times a second", async () => {
    const {dmr, s, cast} = await setUp();
    const told: number[] = [];
    s.t.app.bus.on({}, "upnp.castTitleChanged", () => {
      told.push(performance.now());
    });
    await cast("titles");
    await dmr.play();
    await waitFor(() => told.length >= 4, "four titles told", 30_000);
    const spanS = ((told.at(-1) as number) - (told[0] as number)) / 1000;
    // Thousands of titles came in that time; at most one a second was passed on.
    expect(told.length).toBeLessThanOrEqual(Math.floor(spanS) + 2);
    expect(/<dc:title>Song \d+<\/dc:title>/.test(dmr.state.CurrentTrackMetaData ?? "")).toBe(true);
    expect(s.t.app.upnp.renderer(MINI)?.castNow()?.title).toMatch(/^Song \d+$/);
  }, 60_000);
});
