import {describe, expect, it} from "vitest";
import type {DmrLikeDevice} from "../../helpers/dmrDevice.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {musicAssistantAt} from "../../helpers/musicAssistantAt.js";
import type {MaStreamOptions, MaTrack} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

// Music Assistant's queue (test/helpers/musicAssistantStreams.ts and musicAssistantPlayer.ts cite
// music-assistant/server's files) from a source that misbehaves: the renderer's clock must be the
// audio the player heard, and a body that never ends must not be silence shown as PLAYING.
const start = linkedBridge();

type Mini = Awaited<ReturnType<typeof miniRenderer>>;

const relayFetches = (s: Mini) => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));

/** Every position the renderer answered, sampled as a control point polls, until `stop`. */
function samplePositions(dmr: DmrLikeDevice) {
  const seen: Array<{uri: string; seconds: number}> = [];
  let polling = true;
  void (async () => {
    while (polling) {
      const answer = await dmr.call("GetPositionInfo").catch(() => undefined);
      const rel = /<RelTime>(\d+):(\d+):(\d+)<\/RelTime>/.exec(answer?.body ?? "");
      const uri = /<TrackURI>([^<]*)<\/TrackURI>/.exec(answer?.body ?? "")?.[1] ?? "";
      if (rel) seen.push({uri, seconds: Number(rel[1]) * 3600 + Number(rel[2]) * 60 + Number(rel[3])});
      // A control point's poll, not a wait: Music Assistant polls, HA's dlna_dmr every 10 s.
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  atFileEnd(() => {
    polling = false;
  });
  return {
    seen,
    most: (uri: string) => Math.max(-1, ...seen.filter((p) => p.uri === uri).map((p) => p.seconds)),
    stop: () => {
      polling = false;
    },
  };
}

async function castQueue(o: MaStreamOptions, tracks: MaTrack[]) {
  const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
  const {ma, dmr, player} = await musicAssistantAt(s, o, tracks, false);
  const positions = samplePositions(dmr);
  await player.play();
  return {s, ma, dmr, player, positions};
}

describe("a cast's source that stalls or never closes", () => {
  it("pauses the position through a 20 s stall and goes on when audio does: the queue plays its next track whole", async () => {
    const tracks: MaTrack[] = [
      {name: "Stutter", artist: "A", album: "B", seconds: 12, frequency: 440},
      {name: "After", artist: "A", album: "B", seconds: 6, frequency: 660},
    ];
    const {s, ma, dmr, player, positions} = await castQueue(
      {pace: {burstSeconds: 0, rate: 1}, faults: {stall: {item: 0, atSeconds: 4, forSeconds: 20}}},
      tracks,
    );
    await waitFor(() => player.current() === 1, "the second item playing", 60_000);
    await waitFor(
      () => dmr.state.TransportState === "STOPPED" && relayFetches(s).at(-1)?.complete === true,
      "stopped at the end",
      60_000,
    );
    positions.stop();
    // Never past its length while it stalled (it said 0:00:20 of a 0:00:12 track).
    expect(positions.most(ma.url("single", 0))).toBeLessThanOrEqual(12);
    expect(positions.most(ma.url("single", 0))).toBeGreaterThanOrEqual(10);
    // The next track was played to its end, not cut off once the run's clock ran out.
    expect(positions.most(ma.url("single", 1))).toBeGreaterThanOrEqual(4);
    expect(player.enqueued).toEqual([1]);
    expect(relayFetches(s)).toHaveLength(1);
    expect(relayFetches(s)[0]?.bytes).toBeGreaterThan(17 * 16_000);
    expect(s.t.logs.filter((l) => l.includes("ended early"))).toEqual([]);
  }, 120_000);

  it("ends a track whose body stops short of its Content-Length on a connection left open, says why, and plays the next", async () => {
    const tracks: MaTrack[] = [
      {name: "Morning Song", artist: "The Larks", album: "Dawn", seconds: 6, frequency: 440},
      {name: "Lullaby", artist: "The Owls", album: "Night", seconds: 6, frequency: 660},
    ];
    const {s, ma, dmr, player, positions} = await castQueue(
      {profile: "forced_content_length", faults: {leaveOpen: true}},
      tracks,
    );
    const cut: Array<{title: string; why: string}> = [];
    s.t.app.bus.on({}, "upnp.castTrackEnded", (e) => {
      cut.push(e);
    });
    await waitFor(() => player.current() === 1, "the second item playing", 30_000);
    expect(cut[0]).toEqual({
      playerId: MINI,
      title: "Morning Song",
      why: "its source sent the 6 s its metadata gave, then nothing for 2 s with its connection left open",
    });
    expect(
      s.t.logs.some((l) =>
        l.endsWith(
          "'Bedroom Mini': 'Morning Song' ended early: its source sent the 6 s its metadata gave, then nothing for 2 s with its connection left open",
        ),
      ),
    ).toBe(true);
    await waitFor(() => cut.length === 2, "the second track ended the same way", 30_000);
    await waitFor(() => dmr.state.TransportState === "STOPPED", "stopped at the end", 30_000);
    positions.stop();
    expect(positions.most(ma.url("single", 0))).toBeLessThanOrEqual(6);
    expect(relayFetches(s)).toHaveLength(1);
  }, 90_000);
});
