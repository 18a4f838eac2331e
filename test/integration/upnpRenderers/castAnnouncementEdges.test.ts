import {describe, expect, it} from "vitest";
import type {AnnounceOutcome} from "../../../src/shared/api/announce.js";
import {trackServer} from "../../helpers/dmrDevice.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {musicAssistantAt} from "../../helpers/musicAssistantAt.js";
import type {MaTrack} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

// What a control point and the parents do while an announcement plays over Music Assistant's queue
// (test/helpers/musicAssistantStreams.ts and musicAssistantPlayer.ts cite music-assistant/server).
const start = linkedBridge();

const QUEUE: MaTrack[] = [
  {name: "Morning Song", artist: "The Larks", album: "Dawn", seconds: 20, frequency: 440},
  {name: "Lullaby", artist: "The Owls", album: "Night", seconds: 20, frequency: 660},
];

type Mini = Awaited<ReturnType<typeof miniRenderer>>;

const relayFetches = (s: Mini) => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));

/** The queue playing its first item, and an announcement of a chime of `seconds` sent (its answer pending). */
async function announcingOverQueue(seconds: number) {
  const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
  const {dmr, player} = await musicAssistantAt(s, {}, QUEUE, false);
  await player.play();
  await waitFor(() => player.current() === 0 && player.polled.state === "PLAYING", "the first item playing", 30_000);
  const tones = await trackServer({chime: {seconds, frequency: 880}});
  const announce = () =>
    call("POST", `${s.t.adminUrl}/api/players/${MINI}/announce`, {media: tones.url("chime")}).then(
      (res) => res.body as AnnounceOutcome,
    );
  return {s, dmr, player, announce};
}

describe("an announcement over a cast, and what happens while it plays", () => {
  it("leaves the cast stopped when quiet hours begin during the announcement, and says why", async () => {
    const {s, dmr, announce} = await announcingOverQueue(6);
    const announced = announce();
    await waitFor(() => relayFetches(s).length === 2, "the announcement on the player", 15_000);
    await s.t.app.quietHours.begin(MINI, Date.now() + 3600_000);
    const outcome = await announced;
    expect(outcome.cast?.resumed).toBe(false);
    expect(outcome.cast?.why).toBe(s.t.app.quietHours.refusal(MINI));
    await waitFor(() => dmr.state.TransportState !== "PLAYING", "the control point told", 15_000);
    expect(relayFetches(s)).toHaveLength(2);
  }, 90_000);

  it("brings the cast back paused when the control point paused during the announcement", async () => {
    const {s, dmr, announce} = await announcingOverQueue(6);
    const announced = announce();
    await waitFor(() => relayFetches(s).length === 2, "the announcement on the player", 15_000);
    await dmr.ok("Pause");
    expect(dmr.state.TransportState === "STOPPED").toBe(false);
    expect((await announced).cast).toEqual({title: "Morning Song", resumed: true});
    await waitFor(() => s.t.app.players.get(MINI).playback.status === "paused", "paused on the cast", 15_000);
    await waitFor(() => dmr.state.TransportState === "PAUSED_PLAYBACK", "PAUSED_PLAYBACK told", 15_000);
    expect(dmr.seen("TransportState").slice(-2)).not.toContain("STOPPED");
  }, 90_000);

  it("brings back paused a cast that was paused before the announcement, showing it paused throughout", async () => {
    const {s, dmr, announce} = await announcingOverQueue(2);
    await dmr.ok("Pause");
    await waitFor(() => dmr.state.TransportState === "PAUSED_PLAYBACK", "paused", 15_000);
    const from = dmr.events.length;
    expect((await announce()).cast).toEqual({title: "Morning Song", resumed: true});
    await waitFor(() => s.t.app.players.get(MINI).playback.status === "paused", "paused on the cast", 15_000);
    const states = dmr.events.slice(from).filter((e) => e.variable === "TransportState");
    expect(states.map((e) => e.value).filter((v) => v !== "PAUSED_PLAYBACK")).toEqual([]);
  }, 90_000);

  it("answers Next at once during the announcement, and plays the next track after it", async () => {
    const {s, dmr, player, announce} = await announcingOverQueue(6);
    await waitFor(() => player.enqueued.includes(1), "the next item set", 15_000);
    let over = false;
    const announced = announce().then((outcome) => {
      over = true;
      return outcome;
    });
    await waitFor(() => relayFetches(s).length === 2, "the announcement on the player", 15_000);
    await dmr.ok("Next");
    // Answered while the announcement still plays: it waited for all of it before.
    expect(over).toBe(false);
    // The queue went on with its next track: that is what the answer says.
    expect((await announced).cast).toEqual({title: "Lullaby", resumed: true});
    await waitFor(
      () => relayFetches(s).length === 3 && (relayFetches(s)[2]?.bytes ?? 0) > 16_000,
      "the next run",
      30_000,
    );
    expect(player.current()).toBe(1);
    expect(s.t.app.players.get(MINI).playback.status).toBe("playing");
  }, 90_000);
});
