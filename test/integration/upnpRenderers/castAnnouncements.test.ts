import {describe, expect, it} from "vitest";
import type {AnnounceOutcome} from "../../../src/shared/api/announce.js";
import {addStory} from "../../helpers/announceStory.js";
import {type DmrLikeDevice, trackServer} from "../../helpers/dmrDevice.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {musicAssistantAt} from "../../helpers/musicAssistantAt.js";
import type {MaStreamOptions, MaTrack} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

// Music Assistant as it really serves and casts (test/helpers/musicAssistantStreams.ts and
// musicAssistantPlayer.ts cite the files of music-assistant/server each behaviour is taken from),
// with an announcement in the middle of its queue: the queue must play on to its last track.
const start = linkedBridge();
/** A local speech engine: the family plan's budget warning is spoken. */
const SPEECH = systemNeed("speech");

const QUEUE: MaTrack[] = [
  {name: "Morning Song", artist: "The Larks", album: "Dawn", seconds: 6, frequency: 440},
  {name: "Über den Wolken", artist: "Reinhard Mey", album: "Ikarus", seconds: 6, frequency: 550},
  {name: "Lullaby", artist: "The Owls", album: "Night", seconds: 6, frequency: 660},
];

type Mini = Awaited<ReturnType<typeof miniRenderer>>;

const relayFetches = (s: Mini) => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));

/** The DIDL-Lite's title, its character references read. */
const titleIn = (didl: string | undefined) =>
  /<dc:title>([^<]*)<\/dc:title>/
    .exec(didl ?? "")?.[1]
    ?.replace(/&#(\d{1,7});/g, (_, n: string) => String.fromCodePoint(Number(n)));

/** What GetPositionInfo answers now: the track's URI and seconds into it. */
async function positionOf(dmr: DmrLikeDevice): Promise<{uri: string; seconds: number}> {
  const {body} = await dmr.ok("GetPositionInfo");
  const rel = /<RelTime>(\d+):(\d+):(\d+)<\/RelTime>/.exec(body);
  const uri = /<TrackURI>([^<]*)<\/TrackURI>/.exec(body)?.[1] ?? "";
  return {
    uri: uri.replace(/&amp;/g, "&"),
    seconds: rel ? Number(rel[1]) * 3600 + Number(rel[2]) * 60 + Number(rel[3]) : 0,
  };
}

async function castTo(s: Mini, o: MaStreamOptions, tracks: MaTrack[], flow: boolean) {
  const {ma, dmr, player} = await musicAssistantAt(s, o, tracks, flow);
  await player.play();
  return {ma, dmr, player};
}

/** A two-second chime served on the test's own address, announced as Home Assistant's `tts.speak` sends a URL. */
async function announceChime(s: Mini): Promise<AnnounceOutcome> {
  const tones = await trackServer({chime: {seconds: 2, frequency: 880}});
  const res = await call("POST", `${s.t.adminUrl}/api/players/${MINI}/announce`, {media: tones.url("chime")});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as AnnounceOutcome;
}

/** Transport states told after the first PLAYING, in order, each change once. */
const statesAfterPlay = (dmr: DmrLikeDevice) => {
  const states = dmr.seen("TransportState");
  return states.slice(states.indexOf("PLAYING"));
};

describe("an announcement on a Yoto playing Music Assistant's queue", () => {
  it("plays over the queue and puts it back where it was: Music Assistant never sees STOPPED, and the queue plays to its third track", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const {ma, dmr, player} = await castTo(s, {}, QUEUE, false);
    await waitFor(() => player.current() === 1, "the second item playing", 30_000);
    const before = await positionOf(dmr);
    expect(before.uri).toBe(ma.url("single", 1));

    const outcome = await announceChime(s);
    expect(outcome).toMatchObject({result: "played", cast: {title: "Über den Wolken", resumed: true}});
    // Back on the relay, where it was: the same track, from where the player had heard it.
    await waitFor(() => relayFetches(s).length === 3, "the cast asked for again", 15_000);
    const after = await positionOf(dmr);
    expect(after.uri).toBe(ma.url("single", 1));
    expect(after.seconds).toBeGreaterThanOrEqual(before.seconds);
    expect(after.seconds).toBeLessThan(6);

    await waitFor(() => player.current() === 2, "the third item playing", 30_000);
    await waitFor(
      () => dmr.state.TransportState === "STOPPED" && relayFetches(s).at(-1)?.complete === true,
      "stopped at the end",
      30_000,
    );
    // The announcement held the transport PLAYING: Music Assistant's queue stops on a STOPPED.
    expect(statesAfterPlay(dmr)).toEqual(["PLAYING", "STOPPED"]);
    expect(player.enqueued).toEqual([1, 2]);
    const titles = dmr.seen("CurrentTrackMetaData").map(titleIn).filter(Boolean);
    expect(titles.filter((t, i) => t !== titles[i - 1])).toEqual(["Morning Song", "Über den Wolken", "Lullaby"]);
    // What the player heard after the announcement: the rest of the second track and all of the third.
    const [, chime, rest] = relayFetches(s);
    expect(chime?.bytes).toBeLessThan(3 * 16_000);
    expect(rest?.bytes).toBeGreaterThan((6 + (6 - after.seconds) - 1) * 16_000);
    expect(s.t.logs.some((l) => l.includes("stopped:"))).toBe(false);
  }, 120_000);

  it("holds the flow stream while it speaks and goes on from the same byte: Music Assistant serves its flow once", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const {ma, dmr} = await castTo(s, {pace: {burstSeconds: 0, rate: 1}}, QUEUE.slice(0, 2), true);
    await waitFor(() => (relayFetches(s)[0]?.bytes ?? 0) > 3 * 16_000, "the flow stream's audio", 30_000);

    const outcome = await announceChime(s);
    expect(outcome.cast).toEqual({title: "Morning Song", resumed: true});
    await waitFor(() => (relayFetches(s)[2]?.bytes ?? 0) > 16_000, "the flow stream again", 15_000);
    await waitFor(() => dmr.state.TransportState === "STOPPED", "the flow's end", 60_000);
    expect(statesAfterPlay(dmr)).toEqual(["PLAYING", "STOPPED"]);
    // One answer of Music Assistant's, read to its end across the announcement.
    expect(ma.served.map((r) => r.path)).toEqual([new URL(ma.url("flow", 0)).pathname]);
    expect(ma.served[0]?.endedAt).toBeDefined();
    const [first, , rest] = relayFetches(s);
    // The twelve seconds reach the player, less what was sent ahead of the first answer's end.
    expect((first?.bytes ?? 0) + (rest?.bytes ?? 0)).toBeGreaterThan(11 * 16_000);
  }, 120_000);

  it("does not put back a cast its control point stopped while the announcement played", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const {dmr, player} = await castTo(s, {}, QUEUE, false);
    await waitFor(() => player.current() === 0 && player.polled.state === "PLAYING", "the first item playing", 30_000);
    const tones = await trackServer({chime: {seconds: 4, frequency: 880}});
    const announced = call("POST", `${s.t.adminUrl}/api/players/${MINI}/announce`, {media: tones.url("chime")});
    await waitFor(() => relayFetches(s).length === 2, "the announcement on the player", 15_000);
    await dmr.ok("Stop");
    expect((await announced).body).toMatchObject({
      cast: {
        title: "Morning Song",
        resumed: false,
        why: "its control point stopped it or played something else during the announcement",
      },
    });
    await waitFor(() => dmr.state.TransportState === "STOPPED", "STOPPED told", 15_000);
    expect(relayFetches(s)).toHaveLength(2);
    expect(s.t.logs.filter((l) => l.includes("(upnp): The cast"))).toEqual([]);
  }, 90_000);

  it.skipIf(!SPEECH.path)(
    "says the family plan's budget warning over the queue, and the queue plays on to its third track",
    async () => {
      // The player reports often and the history looks often, so a second of a story counts at once.
      const linked = await start({
        prepare: addStory,
        app: {linkToOwnAudioListener: true, history: {sweepMs: 20}},
        simulator: {statusIntervalMs: 200},
      });
      await waitFor(() => linked.t.app.upnp.renderer(MINI) !== undefined, "the Mini's renderer");
      const s = {...linked, base: `http://127.0.0.1:${linked.t.app.upnp.port}/upnp/${MINI}`};
      const mia = await call("PUT", `${s.t.adminUrl}/api/children/Mia`, {
        players: ["Bedroom Mini"],
        budget: {minutes: 5},
      });
      expect(mia.status, JSON.stringify(mia.body)).toBe(200);
      // A second of a story, paused: the warning of a five-minute budget is due, with nobody to hear it
      // yet. It is said as soon as the Mini plays again: Music Assistant's queue, here.
      s.sim.player(MINI).insertCard("story");
      await waitFor(() => s.t.app.history.todaySeconds(MINI) >= 1, "a second of listening");
      s.sim.player(MINI).pause();
      await waitFor(() => s.t.app.family.child("Mia").journal.some((e) => e.what === "warning"), "the warning due");
      const {dmr, player} = await castTo(s, {}, QUEUE, false);
      const said = () => s.t.app.rules.traces("family_mia_warning").filter((tr) => tr.result === "completed");
      await waitFor(() => said().length === 1, "the warning said", 40_000);
      await waitFor(() => player.current() === 2, "the third item playing", 40_000);
      await waitFor(() => dmr.state.TransportState === "STOPPED", "stopped at the end", 30_000);
      expect(statesAfterPlay(dmr)).toEqual(["PLAYING", "STOPPED"]);
      expect(player.enqueued).toEqual([1, 2]);
      expect(s.t.logs.filter((l) => l.includes("The cast"))).toEqual([]);
      expect(s.t.logs.some((l) => /Announced speech by .* on 'Bedroom Mini'/.test(l))).toBe(true);
      // The queue, the warning over it, the queue again where it was.
      expect(relayFetches(s)).toHaveLength(3);
    },
    120_000,
  );

  it('ends the cast when the announcement is not to resume (a parent\'s "not tonight"), and tells Music Assistant and the journal why', async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const mia = await call("PUT", `${s.t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"]});
    expect(mia.status, JSON.stringify(mia.body)).toBe(200);
    const {dmr, player} = await castTo(s, {}, QUEUE, false);
    await waitFor(() => player.current() === 0 && player.polled.state === "PLAYING", "the first item playing", 30_000);
    const tones = await trackServer({chime: {seconds: 1, frequency: 880}});
    const res = await call("POST", `${s.t.adminUrl}/api/players/${MINI}/announce`, {
      media: tones.url("chime"),
      resume: false,
    });
    expect(res.body).toMatchObject({
      cast: {title: "Morning Song", resumed: false, why: "the announcement was not to resume what played"},
    });
    await waitFor(() => dmr.state.TransportState === "STOPPED", "STOPPED told", 15_000);
    expect(s.t.logs.filter((l) => l.includes("(upnp): The cast"))).toEqual([
      expect.stringMatching(
        /WARNING \(upnp\): The cast 'Morning Song' on 'Bedroom Mini' stopped: the announcement was not to resume what played$/,
      ),
    ]);
    await waitFor(() => s.t.app.family.child("Mia").journal.some((e) => e.what === "cast_ended"), "Mia's journal");
    expect(s.t.app.family.child("Mia").journal.find((e) => e.what === "cast_ended")?.text).toBe(
      "The cast 'Morning Song' on 'Bedroom Mini' stopped: the announcement was not to resume what played",
    );
  }, 90_000);
});
