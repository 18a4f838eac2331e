import {describe, expect, it} from "vitest";
import type {AnnounceOutcome} from "../../../src/shared/api/announce.js";
import {AsyncUpnpDmr, homeAssistantPlayMedia} from "../../helpers/asyncUpnpDmr.js";
import {trackServer} from "../../helpers/dmrDevice.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {MusicAssistantDlna} from "../../helpers/musicAssistantPlayer.js";
import {type MaTrack, musicAssistantStreams} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

// An announcement is heard whole whatever a control point does to the cast meanwhile. The control
// points are driven as their sources do: Music Assistant's skip, seek and previous are its
// play_media (music-assistant/server `providers/dlna/player.py`, test/helpers/musicAssistantPlayer.ts),
// Home Assistant's is dlna_dmr's (`homeassistant/components/dlna_dmr/media_player.py`), both through
// async_upnp_client's DmrDevice (`profiles/dlna.py`, `client.py`: test/helpers/asyncUpnpDmr.ts).
const start = linkedBridge();

const QUEUE: MaTrack[] = [
  {name: "Morning Song", artist: "The Larks", album: "Dawn", seconds: 20, frequency: 440},
  {name: "Lullaby", artist: "The Owls", album: "Night", seconds: 20, frequency: 660},
];
/** The announcement: six seconds of a tone ffmpeg makes ("Dinner is ready. Please wash your hands and come down"). */
const SPEECH_S = 6;

type Mini = Awaited<ReturnType<typeof miniRenderer>>;

const relayFetches = (s: Mini) => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));

/** Each time the player stopped being heard (stopped or paused), on the clock the player's fetches use. */
function silences(s: Mini): number[] {
  const at: number[] = [];
  const owner = {};
  s.t.app.bus.on(owner, "player.changed", ({player, previous}) => {
    const now = player.playback.status;
    if ((now === "stopped" || now === "paused") && previous?.playback.status !== now) at.push(performance.now());
  });
  atFileEnd(() => s.t.app.bus.off(owner));
  return at;
}

/** Music Assistant's queue playing its first item on the Mini, and an announcement it will hear. */
async function maPlaying(flow = false) {
  const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
  // Its flow stream is sent at play speed (the player's own pace), its items as fast as they are asked for.
  const ma = await musicAssistantStreams(QUEUE, flow ? {pace: {burstSeconds: 0, rate: 1}} : {});
  atFileEnd(() => ma.stop());
  const dmr = await AsyncUpnpDmr.open(s.base);
  await waitFor(() => dmr.transportState !== undefined, "the first event");
  const player = new MusicAssistantDlna(dmr, ma, flow);
  atFileEnd(() => player.stop());
  await player.play();
  if (flow)
    await waitFor(
      () => dmr.transportState === "PLAYING" && (relayFetches(s)[0]?.bytes ?? 0) > 2 * 16_000,
      "the flow stream playing",
      30_000,
    );
  else
    await waitFor(() => player.current() === 0 && player.polled.state === "PLAYING", "the first item playing", 30_000);
  return {s, ma, dmr, player, ...(await speechFor(s))};
}

/** From the last STOPPED told on: each state once. */
function statesSinceStop(dmr: AsyncUpnpDmr): string[] {
  const states = dmr.events.events.filter((e) => e.variable === "TransportState").map((e) => e.value);
  return states.slice(states.lastIndexOf("STOPPED")).filter((v, i, all) => v !== all[i - 1]);
}

/** The announcement, sent; `over` says whether it has answered yet. */
async function speechFor(s: Mini) {
  const tones = await trackServer({speech: {seconds: SPEECH_S, frequency: 880}});
  const said = {over: false, at: Number.POSITIVE_INFINITY};
  const announce = () =>
    call("POST", `${s.t.adminUrl}/api/players/${MINI}/announce`, {media: tones.url("speech")}).then((res) => {
      said.over = true;
      said.at = performance.now();
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as AnnounceOutcome;
    });
  return {said, announce};
}

/** The speech on the player: its relay answer has begun (the first is the cast's). */
async function speaking(s: Mini, index = 1) {
  await waitFor(() => relayFetches(s)[index]?.firstByteAt !== undefined, "the speech on the player", 15_000);
  return relayFetches(s)[index]?.firstByteAt as number;
}

/** The speech was heard to its end: nothing stopped or paused the player within its six seconds. */
function heardWhole(s: Mini, began: number, silent: number[], index = 1) {
  const speech = relayFetches(s)[index];
  expect(speech?.complete).toBe(true);
  expect(speech?.bytes).toBeGreaterThan((SPEECH_S - 0.5) * 16_000);
  expect(silent.filter((at) => at > began && at < began + (SPEECH_S - 0.5) * 1000)).toEqual([]);
}

describe("an announcement no control point cuts", () => {
  it("Music Assistant's skip during the speech (Stop, SetAVTransportURI, Play): STOPPED at once, Play answered at once, the next item after the speech", async () => {
    const {s, ma, dmr, player, said, announce} = await maPlaying();
    const silent = silences(s);
    const announced = announce();
    const began = await speaking(s);
    const from = dmr.sent.length;
    await player.playMedia(1);
    // Its own order (its polls between them aside): the Stop's STOPPED was told before its answer,
    // and Play was answered during the speech, the cast shown PLAYING from then on.
    const sent = dmr.sent.slice(from).filter((c) => !c.action.startsWith("Get"));
    expect(sent).toMatchObject([
      {action: "Stop", status: 200, stateAfter: "STOPPED"},
      {action: "SetAVTransportURI", status: 200, stateAfter: "STOPPED"},
      {action: "Play", status: 200, stateAfter: "PLAYING"},
    ]);

    const outcome = await announced;
    expect(sent[2]?.at).toBeLessThan(said.at);
    expect(outcome).toMatchObject({
      result: "played",
      detail: "played to the end",
      cast: {
        title: "Morning Song",
        resumed: false,
        why: "its control point stopped it or played something else during the announcement",
      },
    });
    heardWhole(s, began, silent);
    // The item Music Assistant skipped to is heard after the speech, and only then.
    await waitFor(() => (relayFetches(s)[2]?.bytes ?? 0) > 16_000, "the next item on the player", 30_000);
    expect((relayFetches(s)[2]?.answeredAt ?? 0) - began).toBeGreaterThan((SPEECH_S - 0.5) * 1000);
    await waitFor(() => player.current() === 1, "Music Assistant sees its second item", 15_000);
    expect(ma.served.map((r) => r.path)).toContain(new URL(ma.url("single", 1)).pathname);
    // From the skip on: STOPPED (the Stop), then PLAYING, and never STOPPED while the speech ends.
    expect(statesSinceStop(dmr)).toEqual(["STOPPED", "PLAYING"]);
    expect(s.t.app.players.get(MINI).playback.status).toBe("playing");
  }, 120_000);

  it("Music Assistant's skip in flow mode during the speech: the new flow stream after the speech", async () => {
    const {s, ma, dmr, player, said, announce} = await maPlaying(true);
    const silent = silences(s);
    const announced = announce();
    const began = await speaking(s);
    const from = dmr.sent.length;
    await player.playMedia(1);
    const sent = dmr.sent.slice(from).filter((c) => !c.action.startsWith("Get"));
    expect(sent).toMatchObject([
      {action: "Stop", status: 200, stateAfter: "STOPPED"},
      {action: "SetAVTransportURI", status: 200, stateAfter: "STOPPED"},
      {action: "Play", status: 200, stateAfter: "PLAYING"},
    ]);
    const outcome = await announced;
    expect(sent[2]?.at).toBeLessThan(said.at);
    expect(outcome).toMatchObject({
      result: "played",
      detail: "played to the end",
      cast: {title: "Morning Song", resumed: false},
    });
    heardWhole(s, began, silent);
    await waitFor(() => (relayFetches(s)[2]?.bytes ?? 0) > 16_000, "the new flow stream on the player", 30_000);
    expect((relayFetches(s)[2]?.answeredAt ?? 0) - began).toBeGreaterThan((SPEECH_S - 0.5) * 1000);
    expect(ma.served.map((r) => r.path)).toContain(new URL(ma.url("flow", 1)).pathname);
    expect(statesSinceStop(dmr)).toEqual(["STOPPED", "PLAYING"]);
  }, 120_000);

  it("a Pause after Music Assistant's skip during the speech: the speech whole, then the item it skipped to, paused", async () => {
    const {s, dmr, player, announce} = await maPlaying();
    const silent = silences(s);
    const announced = announce();
    const began = await speaking(s);
    const from = dmr.sent.length;
    const skipped = player.playMedia(1);
    await waitFor(() => dmr.sent.slice(from).some((c) => c.action === "Play"), "Play answered", 15_000);
    // Music Assistant's pause (player.py `pause`: async_pause when it can pause).
    await dmr.pause();
    expect(dmr.sent.at(-1)).toMatchObject({action: "Pause", status: 200, stateAfter: "PAUSED_PLAYBACK"});
    await skipped;
    expect((await announced).detail).toBe("played to the end");
    heardWhole(s, began, silent);
    await waitFor(() => (relayFetches(s)[2]?.bytes ?? 0) > 0, "the item on the player", 30_000);
    await waitFor(() => s.t.app.players.get(MINI).playback.status === "paused", "paused on the item", 15_000);
    expect(statesSinceStop(dmr)).toEqual(["STOPPED", "PLAYING", "PAUSED_PLAYBACK"]);
  }, 120_000);

  it("Home Assistant's play_media during the speech over a card: the speech whole, then what it cast (the card is not put back before it)", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const dmr = await AsyncUpnpDmr.open(s.base);
    expect(s.sim.player(MINI).insertCard("songs")).toBe(true);
    await waitFor(() => dmr.transportState === "PLAYING", "the card PLAYING in a NOTIFY", 15_000);
    const silent = silences(s);
    const {said, announce} = await speechFor(s);
    const announced = announce();
    const began = await speaking(s, 0);
    const song = await trackServer({song: {seconds: 8, frequency: 520}});
    expect(await homeAssistantPlayMedia(dmr, song.url("song"))).toBe("played");
    // Answered while the speech still plays: Home Assistant waits 10 s for an answer.
    expect(said.over).toBe(false);
    expect(dmr.sent.filter((c) => !c.action.startsWith("Get")).map((c) => c.action)).toEqual([
      "Stop",
      "SetAVTransportURI",
      "Play",
    ]);
    const outcome = await announced;
    expect(outcome).toMatchObject({
      result: "played",
      detail:
        "played to the end; a control point cast something new during it, which plays now instead of what it interrupted",
      resumed: null,
    });
    heardWhole(s, began, silent, 0);
    await waitFor(() => (relayFetches(s)[1]?.bytes ?? 0) > 16_000, "the song on the player", 30_000);
    expect((relayFetches(s)[1]?.answeredAt ?? 0) - began).toBeGreaterThan((SPEECH_S - 0.5) * 1000);
    // The card never came back between the speech and the song.
    expect(s.sim.player(MINI).eventsSnapshot().cardId).not.toBe("songs");
    expect(s.t.app.players.get(MINI).playback.status).toBe("playing");
    const cardFetches = s.sim.player(MINI).fetches.filter((f) => !f.url.includes("/relay/"));
    expect(cardFetches.every((f) => (f.answeredAt ?? 0) < began)).toBe(true);
  }, 120_000);

  it("a Next during the speech waits for it, shows no STOPPED, and the answer says the queue went on", async () => {
    const {s, dmr, player, said, announce} = await maPlaying();
    await waitFor(() => player.enqueued.includes(1), "the next item set", 15_000);
    const silent = silences(s);
    const announced = announce();
    const began = await speaking(s);
    const from = dmr.events.events.length;
    // Home Assistant's next track (dlna_dmr `async_media_next_track` → DmrDevice.async_next).
    await dmr.next();
    expect(dmr.sent.at(-1)).toMatchObject({action: "Next", status: 200});
    expect(said.over).toBe(false);
    const outcome = await announced;
    expect(outcome).toMatchObject({detail: "played to the end", cast: {title: "Lullaby", resumed: true}});
    heardWhole(s, began, silent);
    await waitFor(() => (relayFetches(s)[2]?.bytes ?? 0) > 16_000, "the next run", 30_000);
    await waitFor(() => player.current() === 1, "Music Assistant sees its second item", 15_000);
    const states = dmr.events.events.slice(from).filter((e) => e.variable === "TransportState");
    expect(states.map((e) => e.value).filter((v) => v !== "PLAYING")).toEqual([]);
    expect(s.t.app.players.get(MINI).playback.status).toBe("playing");
  }, 120_000);

  it("the announcement's own cancel still cuts it, and the cast comes back", async () => {
    const {s, dmr, announce} = await maPlaying();
    const announced = announce();
    const began = await speaking(s);
    const cancelled = await call("DELETE", `${s.t.adminUrl}/api/players/${MINI}/announce`);
    expect(cancelled.status).toBe(200);
    const outcome = await announced;
    expect(outcome).toMatchObject({
      result: "cancelled",
      detail: "cancelled while it played",
      cast: {title: "Morning Song", resumed: true},
    });
    // Cut: the cast was asked for again well before the speech's six seconds were up.
    await waitFor(() => relayFetches(s).length === 3, "the cast put back", 15_000);
    expect((relayFetches(s)[2]?.answeredAt ?? 0) - began).toBeLessThan((SPEECH_S - 1) * 1000);
    expect(dmr.events.seen("TransportState").slice(-1)).toEqual(["PLAYING"]);
  }, 120_000);

  it("quiet hours beginning still cut it, and the answer says so rather than 'played to the end'", async () => {
    const {s, dmr, announce} = await maPlaying();
    const announced = announce();
    await speaking(s);
    await s.t.app.quietHours.begin(MINI, Date.now() + 3600_000);
    const outcome = await announced;
    expect(outcome.detail).toBe("paused during it");
    expect(outcome.cast).toEqual({
      title: "Morning Song",
      resumed: false,
      why: s.t.app.quietHours.refusal(MINI),
    });
    await waitFor(() => dmr.transportState !== "PLAYING", "the control point told", 15_000);
    expect(relayFetches(s)).toHaveLength(2);
  }, 120_000);
});
