import {stat} from "node:fs/promises";
import {describe, expect, it} from "vitest";
import {DmrLikeDevice, trackServer} from "../../helpers/dmrDevice.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();

const relayFetches = (s: Awaited<ReturnType<typeof miniRenderer>>) =>
  s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));

describe("a renderer's queue, as Music Assistant fills it", () => {
  it("plays three queued tracks through in order, each with its title and length, as one stream with no gap", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const ma = await trackServer({
      one: {seconds: 3, frequency: 440},
      two: {seconds: 3, frequency: 550},
      three: {seconds: 3, frequency: 660},
    });
    const dmr = await DmrLikeDevice.open(s.base);
    await waitFor(() => dmr.state.TransportState !== undefined, "the initial event");
    // With nothing played since start the transport still offers something (never "" = everything).
    expect(dmr.state.CurrentTransportActions).not.toBe("");

    await dmr.setUri(ma.url("one"), "One", 3);
    await dmr.play();
    await waitFor(() => dmr.state.TransportState === "PLAYING", "PLAYING");
    // Music Assistant enqueues the next track once the first plays, and again each time the track changes.
    await dmr.setNext(ma.url("two"), "Two", 3);
    await waitFor(() => dmr.state.NextAVTransportURI === ma.url("two"), "the next track evented");
    await waitFor(() => dmr.state.CurrentTrackURI === ma.url("two"), "the second track playing", 15_000);
    expect(dmr.state.NextAVTransportURI).toBe("");
    // The player is shown playing the track, not its relay card's "Announcement": in the panel's
    // Players view and Home Assistant's MQTT media player.
    const players = await call("GET", `${s.t.adminUrl}/api/players`);
    expect((players.body as {songs: Record<string, string>}).songs[MINI]).toBe("Two");
    await waitFor(
      () => s.watcher.seen.some((m) => m.topic.endsWith(`${MINI}/media/title`) && m.payload === "Two"),
      "the media player's title",
    );
    await dmr.setNext(ma.url("three"), "Three", 3);
    await waitFor(() => dmr.state.CurrentTrackURI === ma.url("three"), "the third track playing", 15_000);
    await waitFor(() => dmr.state.TransportState === "STOPPED", "stopped at the end", 15_000);

    // The first event (if it came before anything was cast) says "" and 0:00:00: the rest is the queue.
    expect(dmr.seen("CurrentTrackURI").filter(Boolean)).toEqual([ma.url("one"), ma.url("two"), ma.url("three")]);
    const titles = dmr.seen("CurrentTrackMetaData").map((m) => /<dc:title>([^<]*)<\/dc:title>/.exec(m)?.[1]);
    expect(titles.filter((t, i) => t !== titles[i - 1]).filter(Boolean)).toEqual(["One", "Two", "Three"]);
    expect(dmr.seen("CurrentTrackDuration").filter((d) => d !== "0:00:00")).toEqual(["0:00:03"]);
    // One request of the relay track held all three: the player never asked again between them.
    const fetches = relayFetches(s);
    expect(fetches).toHaveLength(1);
    expect(fetches[0]?.complete).toBe(true);
    const sizes = await Promise.all(Object.values(ma.files).map((f) => stat(f)));
    // Each track converted to the relay's 128 kb/s: about 16,000 bytes a second, 9 s in all.
    expect(fetches[0]?.bytes).toBeGreaterThan(8.5 * 16_000);
    expect(fetches[0]?.bytes).toBeLessThan(9.8 * 16_000);
    expect(sizes).toHaveLength(3);
  }, 60_000);

  it("repeats one track, then shuffles among those played, as SetPlayMode says", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const ma = await trackServer({a: {seconds: 3, frequency: 300}, b: {seconds: 3, frequency: 700}});
    const dmr = await DmrLikeDevice.open(s.base);
    await waitFor(() => dmr.state.CurrentPlayMode === "NORMAL", "the play mode");
    await dmr.ok("SetPlayMode", {NewPlayMode: "REPEAT_ONE"});
    await waitFor(() => dmr.state.CurrentPlayMode === "REPEAT_ONE", "REPEAT_ONE evented");
    await dmr.setUri(ma.url("a"), "A");
    await dmr.play();
    // Past the first 3 s the same track plays again: the relay's one answer keeps going.
    await waitFor(() => (relayFetches(s)[0]?.bytes ?? 0) > 5 * 16_000, "the track a second time", 15_000);
    expect(dmr.seen("CurrentTrackURI").filter(Boolean)).toEqual([ma.url("a")]);
    await dmr.ok("SetPlayMode", {NewPlayMode: "NORMAL"});
    await dmr.setNext(ma.url("b"), "B");
    await waitFor(() => dmr.state.CurrentTrackURI === ma.url("b"), "B after A", 15_000);
    // SHUFFLE: at the end of B the queue goes on with one of those played (only A is another).
    await dmr.ok("SetPlayMode", {NewPlayMode: "SHUFFLE"});
    await waitFor(() => dmr.seen("CurrentTrackURI").filter(Boolean).length === 3, "a track after B", 15_000);
    expect(dmr.seen("CurrentTrackURI").filter(Boolean)).toEqual([ma.url("a"), ma.url("b"), ma.url("a")]);
    await dmr.ok("Stop");
    await waitFor(() => dmr.state.TransportState === "STOPPED", "stopped");

    const refused = await dmr.call("SetPlayMode", {NewPlayMode: "INTRO"});
    expect(refused.code).toBe(712);
    expect(refused.error).toBe(
      "Play mode 'INTRO' is not supported: use NORMAL, REPEAT_ONE, REPEAT_ALL, SHUFFLE, RANDOM",
    );
  }, 60_000);

  it("lets nothing follow once the parents' rules make the player quiet, and refuses a next then", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true, timeZone: "UTC"});
    const ma = await trackServer({first: {seconds: 20, frequency: 440}, second: {seconds: 3, frequency: 660}});
    const dmr = await DmrLikeDevice.open(s.base);
    await dmr.setUri(ma.url("first"), "First");
    await dmr.play();
    await waitFor(() => dmr.state.TransportState === "PLAYING", "PLAYING");
    await dmr.setNext(ma.url("second"), "Second");
    // Ben's day of listening is used up while the first track plays.
    const plan = await call("PUT", `${s.t.adminUrl}/api/children/Ben`, {
      players: ["Bedroom Mini"],
      budget: {minutes: 0},
      bonus: {minutes: 15, daily_cap: 3},
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    await waitFor(() => s.t.app.quietHours.period(MINI) !== undefined, "the Mini quiet");
    const refused = await dmr.call("SetNextAVTransportURI", {NextURI: ma.url("second"), NextURIMetaData: ""});
    expect(refused.code).toBe(701);
    expect(refused.error).toBe("Ben's listening for today is used up: 'Bedroom Mini' is quiet until tomorrow 00:00");
    // Quiet pauses the player: its answer holds what it was sent (the first track) and nothing more.
    await waitFor(() => dmr.state.TransportState === "PAUSED_PLAYBACK", "the Mini paused by quiet");
    const relay = s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
    expect(relay).toHaveLength(1);
    expect(relay[0]?.bytes).toBeLessThan(20.5 * 16_000);
    expect(dmr.seen("CurrentTrackURI")).not.toContain(ma.url("second"));
  }, 60_000);

  it("gives a cast its length, seeks in it, and keeps the length after the seek", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const ma = await trackServer({long: {seconds: 20, frequency: 500}});
    const dmr = await DmrLikeDevice.open(s.base);
    // No res@duration: the length is the audio's own, known once it is made.
    await dmr.setUri(ma.url("long"), "Long");
    await dmr.play();
    await waitFor(
      () => dmr.state.CurrentTrackDuration === "0:00:20" && dmr.state.TransportState === "PLAYING",
      "the cast playing, with its length",
      15_000,
    );
    expect(dmr.state.CurrentTransportActions?.split(",")).toContain("Seek");
    const past = await dmr.call("Seek", {Unit: "REL_TIME", Target: "0:00:30"});
    expect(past.code).toBe(711);
    expect(past.error).toBe("0:00:30 is past the end of the track (0:00:20)");
    await dmr.ok("Seek", {Unit: "REL_TIME", Target: "0:00:12"});
    const position = await dmr.ok("GetPositionInfo");
    const rel = /<RelTime>(\d+):(\d+):(\d+)<\/RelTime>/.exec(position.body);
    expect(Number(rel?.[3])).toBeGreaterThanOrEqual(12);
    expect(position.body).toContain("<TrackDuration>0:00:20</TrackDuration>");
    // The seek is a new answer of the relay track from 12 s in: about 8 s of audio.
    await waitFor(() => relayFetches(s).length === 2 && relayFetches(s)[1]?.complete === true, "the rest", 20_000);
    const rest = relayFetches(s)[1]?.bytes ?? 0;
    expect(rest).toBeGreaterThan(7 * 16_000);
    expect(rest).toBeLessThan(9 * 16_000);
    expect(dmr.seen("CurrentTrackDuration").filter((d) => d !== "0:00:00")).toEqual(["0:00:20"]);
  }, 60_000);
});
