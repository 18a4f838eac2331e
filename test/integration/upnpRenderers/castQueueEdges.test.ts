import {readdir} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DmrLikeDevice, trackServer} from "../../helpers/dmrDevice.js";
import {until} from "../../helpers/historyStack.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();

/** Tracks of these lengths at their own URLs on the control point's address. */
async function tracks(lengths: Record<string, number>) {
  return (await trackServer(Object.fromEntries(Object.entries(lengths).map(([n, seconds]) => [n, {seconds}])))).url;
}

const position = async (dmr: DmrLikeDevice) => {
  const body = (await dmr.ok("GetPositionInfo")).body;
  const m = /<RelTime>(\d+):(\d+):(\d+)<\/RelTime>/.exec(body);
  return {seconds: Number(m?.[2]) * 60 + Number(m?.[3]), uri: /<TrackURI>([^<]*)<\/TrackURI>/.exec(body)?.[1]};
};

describe("a renderer's queue at its edges", () => {
  it("ends the cast when a child puts a card in, and removes the tracks' audio", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const url = await tracks({one: 8, two: 3});
    const dmr = await DmrLikeDevice.open(s.base);
    await dmr.setUri(url("one"), "One");
    await dmr.play();
    await waitFor(() => dmr.state.TransportState === "PLAYING", "PLAYING");
    await dmr.setNext(url("two"), "Two");
    expect(s.sim.player(MINI).insertCard("songs")).toBe(true);
    await waitFor(() => dmr.state.CurrentTrackURI === "yoto:card:songs", "the card, not the cast");
    const made = path.join(s.t.dataDir, "announcements");
    await until(async () => (await readdir(made)).filter((f) => f.endsWith(".mp3")).length === 0, "no track left");
  }, 60_000);

  it("plays the track it was on again after Stop and Play, not the first one cast", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const url = await tracks({one: 3, two: 6});
    const dmr = await DmrLikeDevice.open(s.base);
    await dmr.setUri(url("one"), "One");
    await dmr.play();
    await dmr.setNext(url("two"), "Two");
    await waitFor(() => dmr.state.CurrentTrackURI === url("two"), "the second track", 15_000);
    await dmr.ok("Stop");
    await waitFor(() => dmr.state.TransportState === "STOPPED", "STOPPED");
    await dmr.play();
    await waitFor(() => dmr.state.TransportState === "PLAYING", "PLAYING again");
    expect(dmr.state.CurrentTrackURI).toBe(url("two"));
    // Stopped, it still showed the track it was on: never the first one again.
    expect(dmr.seen("CurrentTrackURI").filter(Boolean)).toEqual([url("one"), url("two")]);
  }, 60_000);

  it("goes on from where the player is when its track is asked for again, and Previous skips a replaced next", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const url = await tracks({one: 30, ghost: 3, two: 3});
    const dmr = await DmrLikeDevice.open(s.base);
    await dmr.setUri(url("one"), "One");
    await dmr.play();
    await dmr.setNext(url("ghost"), "Ghost");
    await until(async () => (await position(dmr)).seconds >= 2, "two seconds heard", 15_000);
    // The player asks for its track again (it reconnected): the answer goes on from there.
    const relay = s.sim.player(MINI).fetches.find((f) => f.url.includes("/relay/"))?.url as string;
    const again = await new Promise<number>((resolve, reject) => {
      http
        .get(relay, (res) => {
          let bytes = 0;
          res.on("data", (c: Buffer) => {
            bytes += c.length;
            if (bytes >= 16_000) {
              res.destroy();
              resolve(bytes);
            }
          });
        })
        .on("error", reject);
    });
    expect(again).toBeGreaterThanOrEqual(16_000);
    const after = await position(dmr);
    expect(after.uri).toBe(url("one"));
    expect(after.seconds).toBeGreaterThanOrEqual(2);
    // Music Assistant changes its mind about the next track: the first one set never plays.
    await dmr.setNext(url("two"), "Two");
    await waitFor(() => dmr.state.NextAVTransportURI === url("two"), "the new next");
    await dmr.ok("Next");
    await waitFor(() => dmr.state.CurrentTrackURI === url("two"), "the new next playing");
    await dmr.ok("Previous");
    await waitFor(() => dmr.state.CurrentTrackURI === url("one"), "back to the first");
    expect(dmr.seen("CurrentTrackURI")).not.toContain(url("ghost"));
  }, 60_000);
});
