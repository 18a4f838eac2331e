import {describe, expect, it} from "vitest";
import type {DmrLikeDevice} from "../../helpers/dmrDevice.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {musicAssistantAt} from "../../helpers/musicAssistantAt.js";
import type {MaStreamOptions, MaTrack} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

// Music Assistant's edges, driven as its source does (test/helpers/musicAssistantStreams.ts and
// musicAssistantPlayer.ts cite music-assistant/server's `controllers/streams.py`,
// `helpers/audio.py`, `helpers/didl_lite.py` and the DLNA provider for every header and call).
const start = linkedBridge();

type Mini = Awaited<ReturnType<typeof miniRenderer>>;

const relayFetches = (s: Mini) => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

async function castQueue(o: MaStreamOptions, tracks: MaTrack[]) {
  const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
  const cast = await musicAssistantAt(s, o, tracks, false);
  const cut: Array<{title: string; why: string}> = [];
  s.t.app.bus.on({}, "upnp.castTrackEnded", (e) => {
    cut.push(e);
  });
  return {s, cut, ...cast};
}

/** RelTime of GetPositionInfo, in seconds. */
async function relTime(dmr: DmrLikeDevice): Promise<number> {
  const rel = /<RelTime>(\d+):(\d\d):(\d\d)<\/RelTime>/.exec((await dmr.call("GetPositionInfo")).body);
  return rel ? Number(rel[1]) * 3600 + Number(rel[2]) * 60 + Number(rel[3]) : -1;
}

/** Polls GetPositionInfo as a control point does until RelTime reaches `seconds`. */
async function untilPosition(dmr: DmrLikeDevice, seconds: number, what: string): Promise<void> {
  let at = -1;
  const poll = async () => {
    while (at < seconds) {
      at = await relTime(dmr);
      // A control point's poll (Home Assistant's dlna_dmr polls, Music Assistant every second here).
      if (at < seconds) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const polling = poll();
  await waitFor(() => at >= seconds, what, 60_000);
  await polling;
}

describe("Music Assistant's stream edges", () => {
  it("plays an MP3 whose forced Content-Length promised more than came (older MA) as a whole 12 s track, and goes on", async () => {
    // MA's item says 12 s (its provider's whole seconds); the audio is 11.9 s, so the body ends
    // short of the 480,000 bytes `get_chunksize` declared (40 kB a second of its 320 kb/s MP3).
    const tracks: MaTrack[] = [
      {name: "Twelve", artist: "A", album: "B", seconds: 11.9, duration: 12, frequency: 440},
      {name: "After", artist: "A", album: "B", seconds: 4, frequency: 660},
    ];
    const {s, ma, dmr, player, cut} = await castQueue(
      {codec: "mp3", mp3Type: "audio/mp3", profile: "forced_content_length"},
      tracks,
    );
    await player.play();
    await waitFor(() => player.current() === 1, "the second item playing", 60_000);
    await waitFor(
      () => dmr.state.TransportState === "STOPPED" && relayFetches(s)[0]?.complete === true,
      "stopped at the end",
      60_000,
    );
    // Its length as MA gave it throughout: never 0:00:11 (11.9 s once made).
    const durations = dmr.events.filter((e) => e.variable === "CurrentTrackDuration").map((e) => e.value);
    expect([...new Set(durations.filter((d) => d !== "0:00:00"))]).toEqual(["0:00:12", "0:00:04"]);
    expect(ma.served[0]?.bytes).toBeLessThan(480_000);
    // Short of its estimate, whole by its length: no track "ended early", and the queue went on.
    expect(cut, JSON.stringify(cut)).toEqual([]);
    expect(s.t.logs.filter((l) => l.includes("ended early"))).toEqual([]);
    expect(player.enqueued).toEqual([1]);
    expect(relayFetches(s)).toHaveLength(1);
  }, 120_000);

  it("logs a 16 s source stall once when the player runs out, and once when audio comes again, with how long", async () => {
    const tracks: MaTrack[] = [
      {name: "Stutter", artist: "A", album: "B", seconds: 12, frequency: 440},
      {name: "After", artist: "A", album: "B", seconds: 4, frequency: 660},
    ];
    const {s, dmr, player} = await castQueue(
      {pace: {burstSeconds: 0, rate: 1}, faults: {stall: {item: 0, atSeconds: 4, forSeconds: 16}}},
      tracks,
    );
    await player.play();
    await waitFor(() => player.current() === 1, "the second item playing", 90_000);
    await waitFor(() => dmr.state.TransportState === "STOPPED", "stopped at the end", 60_000);
    const stalls = s.t.logs.filter((l) => l.includes("'Bedroom Mini': 'Stutter'"));
    expect(stalls, stalls.join("\n")).toHaveLength(2);
    expect(stalls[0]).toMatch(
      /'Bedroom Mini': 'Stutter' went silent at 0:00:0\d: its source has sent nothing more and the player has played all it had$/,
    );
    const back =
      /'Bedroom Mini': 'Stutter' plays again at 0:00:0\d after (\d+\.\d) s of silence \(its source stalled\)$/.exec(
        stalls[1] ?? "",
      );
    expect(back, stalls[1]).not.toBeNull();
    // The source stalled 16 s; the player had a little of it left when it began.
    expect(Number(back?.[1])).toBeGreaterThan(12);
    expect(Number(back?.[1])).toBeLessThanOrEqual(17);
    expect(s.t.logs.filter((l) => l.includes("'After'") && l.includes("silen"))).toEqual([]);
  }, 150_000);

  it("seeks far into an audiobook paced as MA paces (60 s burst, then 1.1x) by waiting for it, and refuses past its reach in words", async () => {
    const {s, dmr, player} = await castQueue({codec: "flac", pace: {burstSeconds: 60, rate: 1.1}}, [
      {name: "The Long Book", artist: "A", album: "B", seconds: 150, frequency: 500},
    ]);
    await player.play();
    await waitFor(() => dmr.state.TransportState === "PLAYING", "playing", 30_000);
    const live = () => s.t.app.upnp.renderer(MINI)?.cast?.queue?.current()?.track.audio.live;
    // The burst has come (and been converted); what follows comes at 1.1x play speed.
    await waitFor(() => (live()?.size ?? 0) >= 55 * 16_000, "the burst converted", 60_000);
    // 15 s past the burst: refused before ("has not arrived yet"); now the player waits for it.
    const seek = await dmr.call("Seek", {Unit: "REL_TIME", Target: "0:01:15"});
    expect(seek.status, seek.error).toBe(200);
    await untilPosition(dmr, 77, "the position past the point sought");
    expect(relayFetches(s).length).toBeGreaterThanOrEqual(2);
    // Near the end of a book whose source has sent little more than half of it: refused, saying how far it can go.
    const far = await dmr.call("Seek", {Unit: "REL_TIME", Target: "0:2:25"});
    expect(far.code).toBe(711);
    expect(far.error).toMatch(
      /^0:02:25 has not arrived yet: 0:01:\d\d of 'The Long Book' has come so far and its server sends it at about play speed, so at most 0:0[12]:\d\d can be reached now; seek there, or further once more has come$/,
    );
    // Past its end: the time as UPnP writes it, whatever the control point sent.
    const past = await dmr.call("Seek", {Unit: "REL_TIME", Target: "0:45:0"});
    expect(past.code).toBe(711);
    expect(past.error).toBe("0:45:00 is past the end of the track (0:02:30)");
    await dmr.ok("Stop");
  }, 150_000);

  it("reports a FLAC's length from its DIDL-Lite before Play, though its STREAMINFO (written to a pipe) says 0 samples", async () => {
    const {s, ma, dmr, player} = await castQueue({codec: "flac"}, [
      {name: "Flac Song", artist: "A", album: "B", seconds: 12, frequency: 440},
    ]);
    const url = ma.url("single", 0);
    await dmr.ok("SetAVTransportURI", {CurrentURI: xml(url), CurrentURIMetaData: xml(player.didl(0, url))});
    const media = await dmr.ok("GetMediaInfo");
    expect(media.body).toContain("<MediaDuration>0:00:12</MediaDuration>");
    const position = await dmr.ok("GetPositionInfo");
    expect(position.body).toContain("<TrackDuration>0:00:12</TrackDuration>");
    await dmr.play();
    await waitFor(() => dmr.state.TransportState === "PLAYING", "playing", 30_000);
    expect((await dmr.ok("GetMediaInfo")).body).toContain("<MediaDuration>0:00:12</MediaDuration>");
    await waitFor(() => relayFetches(s)[0]?.complete === true, "the track played", 60_000);
  }, 90_000);
});
