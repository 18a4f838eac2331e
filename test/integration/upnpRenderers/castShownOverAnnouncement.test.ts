import {describe, expect, it} from "vitest";
import type {AnnounceOutcome} from "../../../src/shared/api/announce.js";
import type {PlayersList} from "../../../src/shared/api/players.js";
import {type DmrLikeDevice, trackServer} from "../../helpers/dmrDevice.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {musicAssistantAt} from "../../helpers/musicAssistantAt.js";
import type {MaTrack} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {MINI} from "../../helpers/upnpHttp.js";

// What a cast shows before, during and after an announcement over it: to its control point (Music
// Assistant, driven as its DLNA provider does: test/helpers/musicAssistantPlayer.ts cites
// music-assistant/server), in the admin API and on the MQTT media player. Never the speech's
// length, actions, position or state.
const start = linkedBridge();

const QUEUE: MaTrack[] = [
  {name: "Morning Song", artist: "The Larks", album: "Dawn", seconds: 20, frequency: 440},
  {name: "Lullaby", artist: "The Owls", album: "Night", seconds: 20, frequency: 660},
];

const FLOW: MaTrack[] = [
  {name: "Morning Song", artist: "The Larks", album: "Dawn", seconds: 40, frequency: 440},
  {name: "Lullaby", artist: "The Owls", album: "Night", seconds: 40, frequency: 660},
];

/** The service on the simulator, its Mini reporting where it is twice a second (a real one: every 5 s). */
async function renderer() {
  const s = await start({app: {linkToOwnAudioListener: true}, simulator: {eventsIntervalMs: 500}});
  await waitFor(
    () => s.t.app.upnp.renderer(MINI) !== undefined && s.t.app.players.get(MINI).volume.level !== undefined,
    "the Mini's renderer and volume",
  );
  return {...s, base: `http://127.0.0.1:${s.t.app.upnp.port}/upnp/${MINI}`};
}

type Stack = Awaited<ReturnType<typeof renderer>>;

const relayFetches = (s: Stack) => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
const playback = (s: Stack) => s.t.app.players.get(MINI).playback;
/** The player says the speech now: its own report of the relay card, titled as an announcement while one plays. */
const speaking = (s: Stack) =>
  relayFetches(s).length === 2 && playback(s).status === "playing" && playback(s).trackTitle === "Announcement";

/** GetPositionInfo as Music Assistant reads it (`media_position`, `media_duration`), in seconds. */
async function positionInfo(dmr: DmrLikeDevice): Promise<{rel: number; duration: string}> {
  const {body} = await dmr.ok("GetPositionInfo");
  const rel = /<RelTime>(\d+):(\d+):(\d+)<\/RelTime>/.exec(body);
  return {
    rel: rel ? Number(rel[1]) * 3600 + Number(rel[2]) * 60 + Number(rel[3]) : -1,
    duration: /<TrackDuration>([^<]*)<\/TrackDuration>/.exec(body)?.[1] ?? "",
  };
}

/** An announcement of a chime of `seconds`, as Home Assistant's `tts.speak` sends a URL; its answer pending. */
async function announce(s: Stack, seconds: number): Promise<AnnounceOutcome> {
  const tones = await trackServer({chime: {seconds, frequency: 880}});
  const res = await call("POST", `${s.t.adminUrl}/api/players/${MINI}/announce`, {media: tones.url("chime")});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as AnnounceOutcome;
}

/** The MQTT media player's messages on one of its state topics since `from`, in order. */
const mediaSince = (s: Stack, from: number, key: string) =>
  s.watcher.seen
    .slice(from)
    .filter((m) => m.topic.endsWith(`/${MINI}/media/${key}`))
    .map((m) => m.payload);

const readPlayers = async (s: Stack) => (await call("GET", `${s.t.adminUrl}/api/players`)).body as PlayersList;

describe("a cast before, during and after an announcement over it", () => {
  it("keeps a live stream's length, actions and position its own: no Seek, no speech's length, the position held and going on", async () => {
    const s = await renderer();
    const {dmr, player} = await musicAssistantAt(s, {pace: {burstSeconds: 0, rate: 1}}, FLOW, true);
    await player.play();
    await waitFor(
      () => playback(s).status === "playing" && (playback(s).position ?? 0) >= 8,
      "8 s of the flow",
      30_000,
    );
    const before = await positionInfo(dmr);
    expect(before).toMatchObject({duration: "0:00:00"});
    expect(before.rel).toBeGreaterThanOrEqual(8);
    const from = dmr.events.length;

    const announced = announce(s, 6);
    // The speech 3 s in: the player reports its own position and length; the cast's stand still.
    await waitFor(() => speaking(s) && (playback(s).position ?? 0) >= 3, "the speech 3 s in", 15_000);
    const during = await positionInfo(dmr);
    expect(during.duration).toBe("0:00:00");
    expect(during.rel).toBeGreaterThanOrEqual(before.rel);
    // Two seconds on in the speech, it stands where it stood.
    await waitFor(() => speaking(s) && (playback(s).position ?? 0) >= 5, "the speech 5 s in", 15_000);
    expect(await positionInfo(dmr)).toEqual(during);
    const actions = /<Actions>([^<]*)<\/Actions>/.exec((await dmr.ok("GetCurrentTransportActions")).body)?.[1];
    expect(actions).toBe("Pause,Stop");
    const shown = (await readPlayers(s)).playing[MINI];
    expect(shown).toMatchObject({kind: "cast", title: "Morning Song", position: during.rel});
    expect(shown?.seconds).toBeUndefined();

    expect((await announced).cast).toEqual({title: "Morning Song", resumed: true});
    // Back on the flow: it goes on from where it stood, not from the new answer's 0.
    await waitFor(
      () => relayFetches(s).length === 3 && (playback(s).position ?? 0) >= 2 && playback(s).status === "playing",
      "the flow 2 s after the announcement",
      15_000,
    );
    const after = await positionInfo(dmr);
    expect(after.duration).toBe("0:00:00");
    expect(after.rel).toBeGreaterThanOrEqual(during.rel + 2);
    // Nothing of the speech was ever evented to the control point.
    const evented = dmr.events.slice(from);
    expect(evented.filter((e) => e.variable === "CurrentTrackDuration").map((e) => e.value)).toEqual([]);
    expect(evented.filter((e) => e.variable === "CurrentTransportActions" && e.value.includes("Seek"))).toEqual([]);
    expect(evented.filter((e) => e.variable === "TransportState").map((e) => e.value)).toEqual([]);
  }, 120_000);

  it("shows a cast paused before the announcement as paused throughout, in the API and on the MQTT media player", async () => {
    const s = await renderer();
    const {dmr, player} = await musicAssistantAt(s, {}, QUEUE, false);
    await player.play();
    await waitFor(() => player.current() === 0 && player.polled.state === "PLAYING", "the first item playing", 30_000);
    await dmr.ok("Pause");
    await waitFor(() => playback(s).status === "paused", "paused on the cast", 15_000);
    const from = s.watcher.seen.length;

    const announced = announce(s, 6);
    await waitFor(() => speaking(s) && (playback(s).position ?? 0) >= 2, "the speech 2 s in", 15_000);
    const list = await readPlayers(s);
    expect(list.players.find((p) => p.id === MINI)?.playback).toMatchObject({
      status: "paused",
      trackTitle: "Morning Song",
    });
    expect(list.playing[MINI]).toMatchObject({kind: "cast", title: "Morning Song", status: "paused", seconds: 20});
    expect((await announced).cast).toEqual({title: "Morning Song", resumed: true});
    await waitFor(() => playback(s).status === "paused" && relayFetches(s).length === 3, "back, paused", 15_000);
    const states = mediaSince(s, from, "state");
    expect(states.filter((state) => state !== "paused")).toEqual([]);
    expect(mediaSince(s, from, "title").filter((t) => t !== "Morning Song")).toEqual([]);
    expect((await readPlayers(s)).players.find((p) => p.id === MINI)?.playback.status).toBe("paused");
  }, 120_000);

  it("names a player whose cast ended by the cast's last track, not the relay card's 'Announcement'", async () => {
    const s = await renderer();
    const {dmr, player} = await musicAssistantAt(s, {}, QUEUE.slice(0, 1), false);
    await player.play();
    await waitFor(
      () => dmr.state.TransportState === "STOPPED" && player.current() === 0 && playback(s).status === "stopped",
      "the queue played out",
      40_000,
    );
    const ended = (await readPlayers(s)).players.find((p) => p.id === MINI)?.playback;
    expect(ended).toMatchObject({status: "stopped", trackTitle: "Morning Song", chapterTitle: "Morning Song"});

    // An announcement after it is an announcement: neither named by the cast nor counted as listening.
    const outcome = await announce(s, 2);
    expect(outcome.cast).toBeUndefined();
    await waitFor(() => playback(s).status === "stopped", "stopped after the announcement", 15_000);
    expect((await readPlayers(s)).playing[MINI]).toBeUndefined();
    const sessions = await call("GET", `${s.t.adminUrl}/api/history/sessions?player=${MINI}`);
    const titles = (sessions.body as {sessions: Array<{cardTitle?: string}>}).sessions.map((x) => x.cardTitle);
    expect(titles).toEqual(["Morning Song"]);
  }, 120_000);

  it("names the session after a cast by its own card in the history, not by the cast's last title", async () => {
    const s = await renderer();
    const {player} = await musicAssistantAt(s, {}, QUEUE.slice(0, 1), false);
    await player.play();
    await waitFor(() => player.current() === 0 && player.polled.state === "PLAYING", "the cast playing", 30_000);
    await waitFor(() => (playback(s).position ?? 0) >= 2, "2 s of the cast", 15_000);
    // A child puts a card in while the cast plays: the player leaves the relay card for it.
    s.sim.player(MINI).insertCard("songs");
    await waitFor(() => playback(s).cardId === "songs" && (playback(s).position ?? 0) >= 2, "the card playing", 15_000);
    s.sim.player(MINI).pause();
    const listened = () => s.t.logs.filter((l) => l.includes("Bedroom Mini listened to"));
    await waitFor(() => listened().length === 2, "the card's session closed", 15_000);
    expect(listened()[1]).toMatch(/Bedroom Mini listened to 'Songs' for \d+ s$/);
    const sessions = await call("GET", `${s.t.adminUrl}/api/history/sessions?player=${MINI}`);
    const rows = (sessions.body as {sessions: Array<{cardTitle?: string; chapterTitle?: string}>}).sessions;
    expect(rows.map((r) => [r.cardTitle, r.chapterTitle])).toEqual([
      ["Songs", "One"],
      ["Morning Song", "Morning Song"],
    ]);
  }, 120_000);

  it("titles the relay card as the cast, so the player itself says what plays, and as 'Announcement' only while one plays", async () => {
    const s = await renderer();
    const {player} = await musicAssistantAt(s, {}, QUEUE, false);
    await player.play();
    await waitFor(() => player.current() === 0 && playback(s).status === "playing", "the cast playing", 30_000);
    const relay = s.t.app.announcer.relayCards()[0]?.cardId as string;
    // What the player itself reports (and the Yoto app shows): the card's own title and track.
    expect(playback(s)).toMatchObject({cardId: relay, chapterTitle: "Morning Song", trackTitle: "Morning Song"});
    expect(s.sim.card(relay)?.title).toBe("Morning Song");

    const announced = announce(s, 2);
    await waitFor(() => speaking(s), "the speech, titled as an announcement", 15_000);
    expect(s.sim.card(relay)?.title).toBe("Announcements · Bedroom Mini");
    expect((await announced).cast).toEqual({title: "Morning Song", resumed: true});
    await waitFor(
      () => relayFetches(s).length === 3 && playback(s).trackTitle === "Morning Song",
      "the cast again, titled as the cast",
      15_000,
    );
    expect(s.sim.card(relay)?.title).toBe("Morning Song");
  }, 120_000);
});
