import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {makeTone} from "../../helpers/audio.js";
import {DmrLikeDevice} from "../../helpers/dmrDevice.js";
import {flowSource} from "../../helpers/flowSource.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();
/** Music Assistant's MP3 (320 kb/s) and its two songs: the second begins this far in. */
const BYTES_PER_SECOND = 40_000;
const FIRST_SONG_SECONDS = 22;

/**
 * A paused flow stream is not read (issue 99): Music Assistant's flow stream is one endless answer
 * paced a little faster than real time, and a renderer that kept reading it while its player was
 * paused took in the next songs, their ICY titles with them, so Home Assistant and the player showed
 * a song nobody could hear. Paused, the relay reads nothing more: the source's writes pile up in
 * the socket (TCP holds it back), the title stays; played again, both go on.
 */
describe("a paused flow stream", () => {
  it("is not read while its player is paused, so its title does not run ahead of what is heard", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const tone = await makeTone(path.join(await tempDir("yss-flow-pause-"), "flow.mp3"), {
      seconds: FIRST_SONG_SECONDS + 10,
      bitrate: "320k",
    });
    const audio = await readFile(tone);
    const secondSong = Math.floor((audio.length * FIRST_SONG_SECONDS) / (FIRST_SONG_SECONDS + 10));
    const source = await flowSource({
      audio,
      pace: {bytesPerSecond: BYTES_PER_SECOND, burstSeconds: 10, rate: 1.1},
      // The item the bytes belong to: MA's current item for a player that keeps up with them.
      title: (byte) => (byte <= secondSong ? "Raffi - Baby Beluga" : "Raffi - Shake My Sillies Out"),
    });
    const dmr = await DmrLikeDevice.open(s.base);
    await dmr.setUri(source.url, "Music Assistant");
    await dmr.play();
    const title = () => /<dc:title>([^<]*)<\/dc:title>/.exec(dmr.state.CurrentTrackMetaData ?? "")?.[1];
    await waitFor(() => title() === "Baby Beluga" && dmr.state.TransportState === "PLAYING", "the first song", 15_000);

    await dmr.ok("Pause");
    await waitFor(() => dmr.state.TransportState === "PAUSED_PLAYBACK", "PAUSED_PLAYBACK evented");
    // The source has handed the second song's first blocks to the socket: read, they would be here.
    await waitFor(() => source.flushed >= secondSong + 3 * 16_384, "the second song sent", 30_000);
    await dmr.ok("GetPositionInfo");
    const relay = s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
    expect(relay).toHaveLength(1);
    // Nothing of the second song reached the player, and its title is not shown.
    expect(relay[0]?.bytes).toBeLessThan(secondSong);
    expect(title()).toBe("Baby Beluga");
    expect(dmr.seen("CurrentTrackMetaData").some((m) => m.includes("Shake My Sillies Out"))).toBe(false);

    // Played again: the same answer goes on, the second song with it.
    await dmr.play();
    await waitFor(() => title() === "Shake My Sillies Out", "the second song's title", 30_000);
    expect(relay[0]?.bytes).toBeGreaterThan(secondSong);
    expect(source.answers).toBe(1);
    await dmr.ok("Stop");
  }, 120_000);
});
