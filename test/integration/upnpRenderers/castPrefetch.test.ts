import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import type {AppOptions} from "../../../src/app/appOptions.js";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {ffmpegPath} from "../../helpers/audio.js";
import {DmrLikeDevice, trackDidl} from "../../helpers/dmrDevice.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {host, MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

interface Served {
  path: string;
  closed: boolean;
}

/**
 * A FLAC source (2 s of tone, as a server converting while it sends writes it) that keeps each GET
 * it is sent: `/whole-…` sends all of it; `/held-…` its first 16 KB, then holds the connection open
 * (a server sending at play speed) until the renderer lets go of it; `/page-…` a web page instead.
 */
async function flacSource() {
  const dir = await tempDir("yss-prefetch-");
  const file = path.join(dir, "t.flac");
  await runFfmpeg(ffmpegPath, [
    "-y",
    ...["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-ac", "2", "-ar", "44100"],
    ...["-c:a", "flac", "-f", "flac", file],
  ]);
  const body = await readFile(file);
  const served: Served[] = [];
  const {origin} = await host("127.0.0.1", (req, res) => {
    res.writeHead(200, {"Content-Type": "audio/flac"});
    if (req.method !== "GET") return void res.end();
    const got: Served = {path: req.url ?? "", closed: false};
    served.push(got);
    res.once("close", () => {
      got.closed = true;
    });
    if (got.path.startsWith("/whole-")) return void res.end(body);
    if (got.path.startsWith("/page-")) return void res.end("<!doctype html><p>Not found</p>");
    res.write(body.subarray(0, 16_384));
  });
  return {
    served,
    url: (name: string) => `${origin}/${name}`,
    gets: (name: string) => served.filter((s) => s.path === `/${name}`),
  };
}

async function setUp(app: Partial<AppOptions> = {}) {
  const s = await miniRenderer(start, [], {linkToOwnAudioListener: true, ...app});
  const dmr = await DmrLikeDevice.open(s.base);
  const src = await flacSource();
  const renderer = s.t.app.upnp.renderer(MINI);
  if (!renderer) throw new Error("no renderer for the Mini");
  const setUri = (name: string) =>
    dmr.ok("SetAVTransportURI", {
      CurrentURI: xml(src.url(name)),
      CurrentURIMetaData: xml(trackDidl(src.url(name), name)),
    });
  const relay = () => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
  return {s, dmr, src, renderer, setUri, relay};
}

describe("a cast's source is fetched from SetAVTransportURI on, not from Play", () => {
  it("asks the source at SetAVTransportURI, before any Play, and Play plays that very fetch", async () => {
    const {s, dmr, src, setUri, relay} = await setUp();
    const cardBefore = s.t.app.players.get(MINI).playback.cardId;
    await setUri("whole-a.flac");
    await waitFor(() => src.gets("whole-a.flac").length === 1, "the source asked at SetAVTransportURI", 30_000);
    // Fetched, not played: the player is where it was and has fetched nothing.
    expect(relay()).toHaveLength(0);
    expect(s.t.app.players.get(MINI).playback.cardId).toBe(cardBefore);
    expect((await dmr.call("GetTransportInfo")).body).toContain(
      "<CurrentTransportState>STOPPED</CurrentTransportState>",
    );
    await dmr.play();
    await waitFor(() => relay()[0]?.complete === true, "the track played", 30_000);
    // 2 s of tone at the relay's 16,000 bytes a second, from the one fetch SetAVTransportURI made.
    expect(relay()[0]?.bytes).toBeGreaterThanOrEqual(1.9 * 16_000);
    expect(src.gets("whole-a.flac")).toHaveLength(1);
  }, 60_000);

  it("lets go of the source of a URI replaced or stopped before Play, and of one never played", async () => {
    const {dmr, src, renderer, setUri, relay} = await setUp({castSource: {prefetchMs: 1500}});
    await setUri("held-a.flac");
    await waitFor(() => src.gets("held-a.flac").length === 1, "the first URI's source asked", 30_000);
    // Another URI: the first one's connection closes, its converter is given back.
    await setUri("held-b.flac");
    await waitFor(() => src.gets("held-a.flac")[0]?.closed === true, "the replaced URI's source let go of", 30_000);
    await waitFor(() => src.gets("held-b.flac").length === 1, "the second URI's source asked", 30_000);
    // A Stop before Play: the same.
    await dmr.ok("Stop");
    await waitFor(() => src.gets("held-b.flac")[0]?.closed === true, "the stopped URI's source let go of", 30_000);
    // Set and never played: let go of once Play has not come for the 1.5 s given here.
    await setUri("held-c.flac");
    await waitFor(() => src.gets("held-c.flac").length === 1, "the third URI's source asked", 30_000);
    await waitFor(() => src.gets("held-c.flac")[0]?.closed === true, "the unplayed URI's source let go of", 30_000);
    await waitFor(() => renderer.converters.count(MINI) === 0, "every converter given back", 30_000);
    expect(relay()).toHaveLength(0);
    // Played later all the same: fetched again, at Play.
    await dmr.play();
    await waitFor(() => (relay()[0]?.bytes ?? 0) > 0, "the first audio", 30_000);
    expect(src.gets("held-c.flac")).toHaveLength(2);
    await dmr.ok("Stop");
  }, 60_000);

  it("still refuses at Play, in the same words, a source that sent no audio", async () => {
    const {dmr, src, setUri, relay} = await setUp();
    await setUri("page-d.flac");
    await waitFor(() => src.gets("page-d.flac")[0]?.closed === true, "the page read at SetAVTransportURI", 30_000);
    const played = await dmr.call("Play", {Speed: "1"});
    expect(played.code).toBe(714);
    expect(played.error).toBe(`${src.url("page-d.flac")} did not send audio (it served audio/flac)`);
    expect(relay()).toHaveLength(0);
  }, 60_000);
});
