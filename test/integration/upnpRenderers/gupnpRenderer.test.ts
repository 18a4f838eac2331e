import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {describe, expect, it} from "vitest";
import type {AppOptions} from "../../../src/app/app.js";
import type {UpnpStatus} from "../../../src/shared/api/upnp.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {call} from "../../helpers/http.js";
import {journalRefusals} from "../../helpers/journal.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";
import {GupnpControlPoint} from "../../helpers/upnpControlPoint.js";
import {unescapeXml} from "../../helpers/upnpHttp.js";

const GUPNP = systemNeed("gupnp");

const MINI = DEMO_PLAYERS[1]!.deviceId;
const start = linkedBridge();

/** A loopback web server with one MP3 (and a page that is not audio), as a NAS or a podcast host would be. */
async function audioHost(): Promise<{url: (name: string) => string}> {
  const dir = await tempDir("yss-upnp-audio-");
  const mp3 = await makeTone(path.join(dir, "song.mp3"), {seconds: 20});
  const size = (await stat(mp3)).size;
  const speech = await makeTone(path.join(dir, "speech.mp3"), {seconds: 2});
  const server = http.createServer((req, res) => {
    // Home Assistant's TTS proxy path, as `tts.speak` sends it: a short spoken message.
    if (req.url?.startsWith("/api/tts_proxy/") && req.url.endsWith(".mp3")) {
      res.writeHead(200, {"Content-Type": "audio/mpeg"});
      if (req.method === "HEAD") res.end();
      else createReadStream(speech).pipe(res);
    } else if (req.url === "/song.mp3") {
      res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": size});
      if (req.method === "HEAD") res.end();
      else createReadStream(mp3).pipe(res);
    } else if (req.url === "/page.html") {
      res.writeHead(200, {"Content-Type": "text/html"});
      res.end("<p>not audio</p>");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  atFileEnd(() => {
    // The renderer may still be fetching the song for the relay card: its connection goes too.
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const {port} = server.address() as AddressInfo;
  return {url: (name) => `http://127.0.0.1:${port}/${name}`};
}

/** The value of `<Name val="…"/>` in the last LastChange that carried it. */
function lastChangeValue(cp: GupnpControlPoint, service: string, name: string): string | undefined {
  for (let i = cp.notified.length - 1; i >= 0; i--) {
    const n = cp.notified[i]!;
    if (n.service !== service) continue;
    const m = new RegExp(`<${name}(?: channel="Master")? val="([^"]*)"`).exec(n.value);
    if (m) return m[1];
  }
  return undefined;
}

/** The service on GUPnP's SSDP port, the Mini found by a GUPnP control point. */
async function gupnpOnMini(app: Partial<AppOptions> = {}) {
  const s = await start({flags: ["--ssdp_port", "1900"], app: {linkToOwnAudioListener: true, ...app}});
  await waitFor(() => s.t.app.players.get(MINI).volume.level !== undefined, "the Mini's volume");
  const udn = s.t.app.upnp.status("127.0.0.1").renderers.find((r) => r.player_id === MINI)!.udn;
  const cp = await GupnpControlPoint.start();
  await cp.find(udn);
  const transportState = () => lastChangeValue(cp, "AVTransport", "TransportState");
  return {...s, cp, udn, transportState};
}

/** A card a child puts on the Mini by hand, and the service seeing it play. */
async function insertByHand(s: Awaited<ReturnType<typeof gupnpOnMini>>, cardId = "songs"): Promise<void> {
  expect(s.sim.player(MINI).insertCard(cardId)).toBe(true);
  await waitFor(
    () =>
      s.t.app.players.get(MINI).playback.cardId === cardId && s.t.app.players.get(MINI).playback.status === "playing",
    `${cardId} playing`,
  );
}

describe.skipIf(!GUPNP.path)("A Yoto as a UPnP MediaRenderer, driven by GUPnP", () => {
  it("is found by SSDP on loopback, reports its volume, plays a cast URL through the relay card, and events it", async () => {
    // GUPnP always searches the SSDP group's own port: this file is the only one that answers on it.
    const s = await start({flags: ["--ssdp_port", "1900"], app: {linkToOwnAudioListener: true}});
    const {t, sim} = s;
    const udn = t.app.upnp.status("127.0.0.1").renderers.find((r) => r.player_id === MINI)!.udn;
    const cp = await GupnpControlPoint.start();
    const found = await cp.find(udn);
    expect(found.name).toBe("Bedroom Mini");
    expect(found.model).toBe("Yoto Mini");

    // Volume: 0–100 onto the player's steps; read back is the player's real level.
    expect(
      await cp.call(udn, "RenderingControl", "SetVolume", {InstanceID: "0", Channel: "Master", DesiredVolume: "40"}),
    ).toEqual({ok: true, out: {}});
    await waitFor(() => t.app.players.get(MINI).volume.level === 6, "the Mini at step 6");
    const volume = await cp.call(udn, "RenderingControl", "GetVolume", {InstanceID: "0", Channel: "Master"}, [
      "CurrentVolume",
    ]);
    expect(volume.out?.CurrentVolume).toBe("38");

    await cp.subscribe(udn, "AVTransport");
    await cp.subscribe(udn, "RenderingControl");
    await cp.until(() => lastChangeValue(cp, "AVTransport", "TransportState") !== undefined, "the initial event");

    const host = await audioHost();
    const set = await cp.call(udn, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: host.url("song.mp3"),
      CurrentURIMetaData: "",
    });
    expect(set).toEqual({ok: true, out: {}});
    const played = await cp.call(udn, "AVTransport", "Play", {InstanceID: "0", Speed: "1"});
    expect(played).toEqual({ok: true, out: {}});
    await cp.until(() => lastChangeValue(cp, "AVTransport", "TransportState") === "PLAYING", "PLAYING in a NOTIFY");
    const relayFetch = sim.player(MINI).fetches.find((f) => f.url.includes("/relay/"));
    expect(relayFetch).toBeDefined();

    const paused = await cp.call(udn, "AVTransport", "Pause", {InstanceID: "0"});
    expect(paused).toEqual({ok: true, out: {}});
    await cp.until(
      () => lastChangeValue(cp, "AVTransport", "TransportState") === "PAUSED_PLAYBACK",
      "PAUSED in a NOTIFY",
    );

    // A refused URI changes nothing on the player.
    const page = await cp.call(udn, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: host.url("page.html"),
      CurrentURIMetaData: "",
    });
    expect(page).toMatchObject({ok: false, code: 714});
    expect(page.error).toBe(`127.0.0.1:${new URL(host.url("x")).port} serves text/html there, not audio`);
    // The panel's player details: how the renderer is seen, and by whom.
    const status = (await call("GET", `${t.adminUrl}/api/upnp`)).body as UpnpStatus;
    const mini = status.renderers.find((r) => r.player_id === MINI);
    expect(mini).toMatchObject({
      name: "Bedroom Mini",
      enabled: true,
      udn,
      subscribers: 2,
      last_action: {name: "Pause"},
    });
    expect(mini?.seen_by.map((seen) => seen.address)).toEqual(["127.0.0.1"]);
    expect(mini?.location).toBe(`http://127.0.0.1:${t.app.upnp.port}/upnp/${MINI}/description.xml`);
    await cp.stop();
  }, 60_000);
  it("shows a card inserted by hand in GetPositionInfo and in a LastChange, seeks it (REL_TIME) and stops it", async () => {
    const s = await gupnpOnMini();
    const {cp, udn, sim, t} = s;
    await cp.subscribe(udn, "AVTransport");
    await cp.until(() => s.transportState() === "NO_MEDIA_PRESENT", "the initial event: nothing on the Mini");
    await insertByHand(s);

    // The event names the card (as album, with its title) and says PLAYING.
    const didlOf = () => unescapeXml(lastChangeValue(cp, "AVTransport", "CurrentTrackMetaData") ?? "");
    await cp.until(() => didlOf().includes("<upnp:album>Songs</upnp:album>"), "the card's title in a LastChange");
    expect(s.transportState()).toBe("PLAYING");
    expect(didlOf()).toContain("<dc:title>Song</dc:title>");
    const position = await cp.call(udn, "AVTransport", "GetPositionInfo", {InstanceID: "0"}, [
      "Track",
      "TrackDuration",
      "TrackMetaData",
      "RelTime",
    ]);
    expect(position.ok).toBe(true);
    expect(position.out).toMatchObject({Track: "1", TrackDuration: "0:10:00"});
    expect(position.out?.RelTime).toMatch(/^0:00:0\d$/);
    expect(position.out?.TrackMetaData).toContain("<upnp:album>Songs</upnp:album>");
    expect(position.out?.TrackMetaData).toContain("<dc:title>Song</dc:title>");

    // Seek: the player goes to that point of the track.
    expect(await cp.call(udn, "AVTransport", "Seek", {InstanceID: "0", Unit: "REL_TIME", Target: "0:05:00"})).toEqual({
      ok: true,
      out: {},
    });
    await waitFor(() => (t.app.players.get(MINI).playback.position ?? 0) >= 300, "the Mini at 5 minutes");
    expect(Number(sim.player(MINI).eventsSnapshot().position)).toBeGreaterThanOrEqual(300);
    const after = await cp.call(udn, "AVTransport", "GetPositionInfo", {InstanceID: "0"}, ["RelTime"]);
    expect(after.out?.RelTime).toMatch(/^0:05:0\d$/);
    // Past the track's end is refused, saying so.
    expect(await cp.call(udn, "AVTransport", "Seek", {InstanceID: "0", Unit: "REL_TIME", Target: "1:00:00"})).toEqual({
      ok: false,
      code: 711,
      error: "1:00:00 is past the end of the track (0:10:00)",
    });

    // Stop: the card stops on the player, and the control point hears STOPPED with Play (and Stop) left.
    expect(await cp.call(udn, "AVTransport", "Stop", {InstanceID: "0"})).toEqual({ok: true, out: {}});
    await cp.until(() => s.transportState() === "STOPPED", "STOPPED in a NOTIFY");
    expect(sim.player(MINI).eventsSnapshot()).toMatchObject({cardId: "none", playbackStatus: "stopped"});
    expect(lastChangeValue(cp, "AVTransport", "CurrentTransportActions")).toBe("Play,Stop");
    await cp.stop();
  }, 60_000);

  it("announces a TTS-proxy URL as Home Assistant sends it, then the card comes back", async () => {
    const s = await gupnpOnMini();
    const {cp, udn, sim, t} = s;
    const host = await audioHost();
    await insertByHand(s);
    await cp.subscribe(udn, "AVTransport");
    await cp.until(() => s.transportState() === "PLAYING", "PLAYING in the initial event");
    expect(await cp.call(udn, "AVTransport", "Seek", {InstanceID: "0", Unit: "REL_TIME", Target: "0:03:00"})).toEqual({
      ok: true,
      out: {},
    });
    await waitFor(() => (t.app.players.get(MINI).playback.position ?? 0) >= 180, "the Mini at 3 minutes");

    // Home Assistant's dlna_dmr play_media: Stop, SetAVTransportURI, wait until Play may be sent, Play.
    expect(await cp.call(udn, "AVTransport", "Stop", {InstanceID: "0"})).toEqual({ok: true, out: {}});
    await waitFor(() => sim.player(MINI).eventsSnapshot().playbackStatus === "stopped", "the card stopped");
    const tts = host.url("api/tts_proxy/3f1a9c_en-gb_google.mp3");
    expect(
      await cp.call(udn, "AVTransport", "SetAVTransportURI", {
        InstanceID: "0",
        CurrentURI: tts,
        CurrentURIMetaData: "",
      }),
    ).toEqual({ok: true, out: {}});
    await cp.until(
      () => (lastChangeValue(cp, "AVTransport", "CurrentTransportActions") ?? "").split(",").includes("Play"),
      "Play in CurrentTransportActions",
    );
    const relayBefore = sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/")).length;
    expect(await cp.call(udn, "AVTransport", "Play", {InstanceID: "0", Speed: "1"})).toEqual({ok: true, out: {}});

    // The relay card plays the speech…
    await waitFor(
      () => sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/")).length > relayBefore,
      "the relay card fetched",
      15_000,
    );
    // …and afterwards the card that Stop interrupted plays again.
    await waitFor(
      () => {
        const now = sim.player(MINI).eventsSnapshot();
        return now.cardId === "songs" && now.playbackStatus === "playing";
      },
      "the songs card back, playing",
      20_000,
    );
    // Where it was stopped, not from the start.
    expect(Number(sim.player(MINI).eventsSnapshot().position)).toBeGreaterThanOrEqual(180);
    await waitFor(() => t.app.players.get(MINI).playback.cardId === "songs", "the service seeing the card back");
    await cp.until(() => s.transportState() === "PLAYING", "PLAYING again");
    await cp.stop();
  }, 60_000);

  it("refuses Play and SetAVTransportURI in quiet hours with 701 saying until when, in the family journal", async () => {
    const s = await gupnpOnMini({timeZone: "UTC"});
    const {cp, udn, t} = s;
    const host = await audioHost();
    await insertByHand(s);
    // Ben's plan: no listening left today, so his Mini is quiet until midnight (the plan pauses the card).
    const plan = await call("PUT", `${t.adminUrl}/api/children/Ben`, {
      players: ["Bedroom Mini"],
      budget: {minutes: 0},
      bonus: {minutes: 15, daily_cap: 3},
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "the Mini quiet");
    await waitFor(() => t.app.players.get(MINI).playback.status === "paused", "the card paused by quiet");

    const why = "Ben's listening for today is used up: 'Bedroom Mini' is quiet until tomorrow 00:00";
    expect(await cp.call(udn, "AVTransport", "Play", {InstanceID: "0", Speed: "1"})).toEqual({
      ok: false,
      code: 701,
      error: why,
    });
    expect(
      await cp.call(udn, "AVTransport", "SetAVTransportURI", {
        InstanceID: "0",
        CurrentURI: host.url("song.mp3"),
        CurrentURIMetaData: "",
      }),
    ).toEqual({ok: false, code: 701, error: why});
    // Seek and Next would start the paused card: held the same way.
    expect(await cp.call(udn, "AVTransport", "Next", {InstanceID: "0"})).toEqual({ok: false, code: 701, error: why});
    expect(await cp.call(udn, "AVTransport", "Seek", {InstanceID: "0", Unit: "REL_TIME", Target: "0:00:05"})).toEqual({
      ok: false,
      code: 701,
      error: why,
    });
    expect(t.app.players.get(MINI).playback).toMatchObject({cardId: "songs", status: "paused"});
    expect(s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"))).toEqual([]);

    // The parents read it in Ben's journal (newest first), a line for each thing asked, in their words;
    // the log has each action.
    const cast = "cast from Home Assistant, Music Assistant or another app, was not played";
    expect((await journalRefusals(t)).map((e) => [e.child, e.text])).toEqual([
      ["Ben", `A jump in the card, ${cast}: ${why}`],
      ["Ben", `Next, ${cast}: ${why}`],
      ["Ben", `'song.mp3', ${cast}: ${why}`],
      ["Ben", `Play, ${cast}: ${why}`],
    ]);
    for (const action of ["Play", "SetAVTransportURI", "Next", "Seek"])
      expect(t.logs.some((l) => l.includes(`A DLNA ${action} was refused: ${why}`))).toBe(true);
    expect(t.logs.some((l) => l.includes(`A DLNA Play was refused: ${why}`))).toBe(true);
    await cp.stop();
  }, 60_000);

  it("mutes to 0 and unmutes back to the level it had", async () => {
    const s = await gupnpOnMini();
    const {cp, udn, sim, t} = s;
    expect(
      await cp.call(udn, "RenderingControl", "SetVolume", {InstanceID: "0", Channel: "Master", DesiredVolume: "50"}),
    ).toEqual({ok: true, out: {}});
    await waitFor(() => t.app.players.get(MINI).volume.level === 8, "the Mini at step 8");
    const master = {InstanceID: "0", Channel: "Master"};

    expect(await cp.call(udn, "RenderingControl", "SetMute", {...master, DesiredMute: "1"})).toEqual({
      ok: true,
      out: {},
    });
    await waitFor(() => t.app.players.get(MINI).volume.level === 0, "the Mini at 0");
    expect(sim.player(MINI).eventsSnapshot().volume).toBe(0);
    expect(await cp.call(udn, "RenderingControl", "GetMute", master, ["CurrentMute"])).toEqual({
      ok: true,
      out: {CurrentMute: "1"},
    });
    // Muted, the renderer still reads the level it comes back to (as gmediarender does), not 0.
    expect(await cp.call(udn, "RenderingControl", "GetVolume", master, ["CurrentVolume"])).toEqual({
      ok: true,
      out: {CurrentVolume: "50"},
    });

    expect(await cp.call(udn, "RenderingControl", "SetMute", {...master, DesiredMute: "0"})).toEqual({
      ok: true,
      out: {},
    });
    await waitFor(() => t.app.players.get(MINI).volume.level === 8, "the Mini back at step 8");
    expect(await cp.call(udn, "RenderingControl", "GetMute", master, ["CurrentMute"])).toEqual({
      ok: true,
      out: {CurrentMute: "0"},
    });
    expect(await cp.call(udn, "RenderingControl", "GetVolume", master, ["CurrentVolume"])).toEqual({
      ok: true,
      out: {CurrentVolume: "50"},
    });

    // RenderingControl:1's required presets: FactoryDefaults, which is half volume, unmuted.
    expect(await cp.call(udn, "RenderingControl", "ListPresets", {InstanceID: "0"}, ["CurrentPresetNameList"])).toEqual(
      {ok: true, out: {CurrentPresetNameList: "FactoryDefaults"}},
    );
    await cp.call(udn, "RenderingControl", "SetVolume", {...master, DesiredVolume: "25"});
    await waitFor(() => t.app.players.get(MINI).volume.level === 4, "the Mini at step 4");
    expect(
      await cp.call(udn, "RenderingControl", "SelectPreset", {InstanceID: "0", PresetName: "FactoryDefaults"}),
    ).toEqual({
      ok: true,
      out: {},
    });
    await waitFor(() => t.app.players.get(MINI).volume.level === 8, "the Mini back at step 8");
    await cp.stop();
  }, 60_000);
});
