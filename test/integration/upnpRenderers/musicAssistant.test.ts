import {describe, expect, it} from "vitest";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {musicAssistantAt} from "../../helpers/musicAssistantAt.js";
import type {MaStreamOptions, MaTrack} from "../../helpers/musicAssistantStreams.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

// Music Assistant as it really serves and casts (test/helpers/musicAssistantStreams.ts and
// musicAssistantPlayer.ts cite the files of music-assistant/server each behaviour is taken from).
const start = linkedBridge();

const relayFetches = (s: Awaited<ReturnType<typeof miniRenderer>>) =>
  s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));

const QUEUE: MaTrack[] = [
  {name: "Morning Song", artist: "The Larks", album: "Dawn", seconds: 6, frequency: 440},
  {name: "Über den Wolken", artist: "Reinhard Mey", album: "Ikarus", seconds: 6, frequency: 550},
  {name: "Lullaby", artist: "The Owls", album: "Night", seconds: 6, frequency: 660},
];

/** The DIDL-Lite's title, its character references read (Music Assistant writes every non-ASCII one as `&#…;`). */
const titleIn = (didl: string | undefined) =>
  /<dc:title>([^<]*)<\/dc:title>/
    .exec(didl ?? "")?.[1]
    ?.replace(/&#(\d{1,7});/g, (_, n: string) => String.fromCodePoint(Number(n)));

async function castQueue(o: MaStreamOptions, tracks = QUEUE) {
  const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
  return {s, ...(await musicAssistantAt(s, o, tracks, false))};
}

describe("Music Assistant's queue on a Yoto, as its stream server and DLNA provider really are", () => {
  it("plays a three-track FLAC queue (its default) 1 → 2 → 3 in one relay answer, each title in Home Assistant and the panel", async () => {
    const {s, ma, dmr, player} = await castQueue({});
    await player.play();
    expect(player.calls.slice(0, 4)).toEqual([
      "GetCurrentTransportActions",
      "Stop",
      "SetAVTransportURI",
      "GetCurrentTransportActions",
    ]);
    await waitFor(() => player.current() === 1, "the second item playing", 30_000);
    const players = await call("GET", `${s.t.adminUrl}/api/players`);
    expect((players.body as {songs: Record<string, string>}).songs[MINI]).toBe("Über den Wolken");
    // Home Assistant's MQTT media player shows the track, the DIDL-Lite's artist and album, and its
    // length: not the relay card's "Announcements · Bedroom Mini".
    const media = (key: string) =>
      s.watcher.seen.filter((m) => m.topic.endsWith(`${MINI}/media/${key}`)).map((m) => m.payload);
    await waitFor(() => media("title").includes("Über den Wolken"), "the media player's title");
    await waitFor(() => media("artist").at(-1) === "Reinhard Mey", "the media player's artist");
    expect(media("album").at(-1)).toBe("Ikarus");
    expect(media("duration").at(-1)).toBe("6");
    expect(media("artist")).not.toContain("Announcements · Bedroom Mini");
    const asked = await call("POST", `${s.t.adminUrl}/api/voice`, {
      trigger: "whats_playing",
      slots: {who: "Bedroom Mini"},
    });
    expect((asked.body as {speech: string}).speech).toContain("Über den Wolken");
    await waitFor(() => player.current() === 2, "the third item playing", 30_000);
    await waitFor(
      // The stop may be told before the player's last byte is in: both, as the player ends.
      () => dmr.state.TransportState === "STOPPED" && relayFetches(s)[0]?.complete === true,
      "stopped at the end",
      30_000,
    );

    expect(dmr.seen("CurrentTrackURI").filter(Boolean)).toEqual([0, 1, 2].map((i) => ma.url("single", i)));
    const titles = dmr.seen("CurrentTrackMetaData").map(titleIn).filter(Boolean);
    expect(titles.filter((t, i) => t !== titles[i - 1])).toEqual(["Morning Song", "Über den Wolken", "Lullaby"]);
    expect(player.enqueued).toEqual([1, 2]);
    // One answer of the relay track held the three: the player never asked again between them.
    const fetches = relayFetches(s);
    expect(fetches).toHaveLength(1);
    expect(fetches[0]?.complete).toBe(true);
    expect(fetches[0]?.bytes).toBeGreaterThan(17 * 16_000);
    expect(fetches[0]?.bytes).toBeLessThan(19.5 * 16_000);
  }, 90_000);

  for (const mp3Type of ["audio/mpeg", "audio/mp3"] as const)
    it(`plays MP3 output served as ${mp3Type}, one track after the other`, async () => {
      const {s, ma, dmr, player} = await castQueue({codec: "mp3", mp3Type}, QUEUE.slice(0, 2));
      await player.play();
      await waitFor(() => player.current() === 1, "the second item playing", 30_000);
      await waitFor(
        // The stop may be told before the player's last byte is in: both, as the player ends.
        () => dmr.state.TransportState === "STOPPED" && relayFetches(s)[0]?.complete === true,
        "stopped at the end",
        30_000,
      );
      expect(dmr.seen("CurrentTrackURI").filter(Boolean)).toEqual([0, 1].map((i) => ma.url("single", i)));
      expect(relayFetches(s)).toHaveLength(1);
      expect(relayFetches(s)[0]?.bytes).toBeGreaterThan(11 * 16_000);
    }, 90_000);

  it("plays each track as it arrives: at exactly play speed, the player hears it long before the source is done", async () => {
    const {s, ma, player} = await castQueue({codec: "flac", pace: {burstSeconds: 0, rate: 1}}, [
      {name: "Slow", artist: "A", album: "B", seconds: 10, frequency: 500},
    ]);
    await player.play();
    await waitFor(() => relayFetches(s)[0]?.firstByteAt !== undefined, "the player's first audio", 30_000);
    const heardAt = relayFetches(s)[0]?.firstByteAt as number;
    await waitFor(() => ma.served[0]?.endedAt !== undefined, "the source to finish", 30_000);
    const sentFrom = ma.served[0]?.firstByteAt as number;
    const sentTo = ma.served[0]?.endedAt as number;
    // The first second went out while most of the track was still to come from the source.
    expect(heardAt).toBeLessThan(sentFrom + (sentTo - sentFrom) / 2);
  }, 60_000);

  it("ends a track whose body stops short of its forced Content-Length and of its length, says so, and goes on with the next", async () => {
    // MA's item says 6 s, 3 s of audio came: short by far more than the estimate's slack.
    const short = [{...(QUEUE[0] as MaTrack), seconds: 3, duration: 6}, QUEUE[1] as MaTrack];
    const {s, dmr, player} = await castQueue({profile: "forced_content_length"}, short);
    const cut: Array<{title: string; why: string}> = [];
    s.t.app.bus.on({}, "upnp.castTrackEnded", (e) => {
      cut.push(e);
    });
    await player.play();
    await waitFor(() => player.current() === 1, "the second item playing", 30_000);
    await waitFor(
      // The stop may be told before the player's last byte is in: both, as the player ends.
      () => dmr.state.TransportState === "STOPPED" && relayFetches(s)[0]?.complete === true,
      "stopped at the end",
      30_000,
    );
    expect(cut[0]?.title).toBe("Morning Song");
    expect(cut[0]?.why, JSON.stringify(cut)).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/single\/.+\.flac ended after \d+ of the \d+ bytes it announced$/,
    );
    expect(s.t.logs.some((l) => l.includes("'Bedroom Mini': 'Morning Song' ended early:"))).toBe(true);
  }, 90_000);
});

describe("Music Assistant's flow mode (its default for DLNA players)", () => {
  async function castFlow(o: MaStreamOptions) {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const cast = await musicAssistantAt(s, o, QUEUE.slice(0, 2), true);
    await cast.player.play();
    return {s, ...cast};
  }

  it("plays the FLAC flow stream live, converted, with no seek and no next (ICY off, as it ships)", async () => {
    const {s, dmr} = await castFlow({});
    await waitFor(() => (relayFetches(s)[0]?.bytes ?? 0) > 3 * 16_000, "the flow stream's audio", 30_000);
    expect(dmr.state.TransportState).toBe("PLAYING");
    const actions = (dmr.state.CurrentTransportActions ?? "").split(",");
    expect(actions).not.toContain("Seek");
    expect(actions).not.toContain("Next");
    expect(titleIn(dmr.state.CurrentTrackMetaData)).toBe("Morning Song");
  }, 60_000);

  it("shows each song's ICY title when ICY is turned on, MP3 passed through", async () => {
    const {dmr} = await castFlow({codec: "mp3", icy: "basic", pace: {burstSeconds: 0, rate: 1}});
    await waitFor(
      () => titleIn(dmr.state.CurrentTrackMetaData) === "Über den Wolken",
      "the second song's title",
      30_000,
    );
    expect(dmr.seen("CurrentTrackMetaData").map(titleIn)).toContain("Morning Song");
  }, 60_000);
});
