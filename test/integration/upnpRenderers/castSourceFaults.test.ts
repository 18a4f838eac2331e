import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {makeTone} from "../../helpers/audio.js";
import {DmrLikeDevice, trackDidl} from "../../helpers/dmrDevice.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
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
  const held = new Set<import("node:http").ServerResponse>();
  const {origin} = await host("127.0.0.1", (req, res) => {
    const route = req.url ?? "";
    if (route === "/redirect.mp3") {
      res.writeHead(302, {Location: `${adminUrl}/api/health`}).end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": "audio/mpeg",
      ...(route === "/titles.mp3" ? {"icy-metaint": "16", "icy-name": "Chatty FM"} : {}),
    });
    if (req.method === "HEAD") return void res.end();
    if (route === "/page.mp3") return void res.end("<!doctype html><html><body>Not audio</body></html>");
    if (route === "/one-byte.mp3") return void res.end(tone.subarray(0, 1));
    if (route === "/stalls.mp3") {
      held.add(res);
      return void res.write(tone);
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
  return {url: (name: string) => `${origin}/${name}.mp3`, held};
}

async function setUp() {
  const s = await miniRenderer(start, [], {
    linkToOwnAudioListener: true,
    castSource: {maxBytes: 300_000, idleMs: 1500},
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
    expect(cut[0]?.why, JSON.stringify(cut)).toMatch(
      /endless\.mp3 sent more than the 293\.0 KB a cast track may take$/,
    );
    expect(s.t.logs.some((l) => l.includes("'Bedroom Mini': 'endless' ended early:"))).toBe(true);
    await waitFor(() => dmr.state.TransportState === "STOPPED", "the track played out", 60_000);
    // The player heard what came (up to the limit), converted.
    const relay = s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
    expect(relay[0]?.complete).toBe(true);
    expect(relay[0]?.bytes).toBeGreaterThan(16_000);
  }, 90_000);

  it("ends a track whose source stops sending but holds the connection", async () => {
    const {dmr, cut, cast} = await setUp();
    await cast("stalls");
    await dmr.play();
    await waitFor(() => cut.length > 0, "the stalled track cut", 30_000);
    expect(cut[0]?.why).toMatch(/stalls\.mp3 sent nothing for 1\.5 s$/);
    await waitFor(() => dmr.state.TransportState === "STOPPED", "the track played out", 30_000);
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
