import {readFile} from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {makeTone} from "../../helpers/audio.js";
import {DmrLikeDevice} from "../../helpers/dmrDevice.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {host, MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();
const METAINT = 4096;

/** One ICY metadata block: its length in 16-byte units, then `StreamTitle='…';` padded with zeros. */
function icyBlock(title: string): Buffer {
  const text = Buffer.from(`StreamTitle='${title}';`);
  const units = Math.ceil(text.length / 16);
  return Buffer.concat([Buffer.from([units]), text, Buffer.alloc(units * 16 - text.length)]);
}

/**
 * Music Assistant's flow mode as a renderer meets it: one MP3 with no length that goes on from
 * song to song, and, asked with `Icy-MetaData: 1`, a StreamTitle every METAINT bytes. The second
 * song starts only when the test says (`next`), so each title is seen before the next.
 */
async function flowStream(audio: Buffer) {
  let release!: () => void;
  const next = new Promise<void>((resolve) => {
    release = resolve;
  });
  const icyAsked: boolean[] = [];
  const {origin} = await host("127.0.0.1", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const icy = req.headers["icy-metadata"] === "1";
    icyAsked.push(icy);
    res.writeHead(200, {
      "Content-Type": "audio/mpeg",
      "icy-name": "Music Assistant",
      ...(icy ? {"icy-metaint": String(METAINT)} : {}),
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const write = (bytes: Buffer, title: string) => {
      for (let at = 0; at < bytes.length; at += METAINT) {
        res.write(bytes.subarray(at, at + METAINT));
        if (icy) res.write(at === 0 ? icyBlock(title) : Buffer.from([0]));
      }
    };
    const half = Math.floor(audio.length / 2 / METAINT) * METAINT;
    write(audio.subarray(0, half), "Raffi - Baby Beluga");
    void next.then(() => {
      write(audio.subarray(half, half * 2), "Second Song");
      res.end();
    });
  });
  return {url: `${origin}/flow/session/queue/item.mp3`, release, icyAsked};
}

describe("Music Assistant's flow mode on a renderer", () => {
  it("plays the one endless stream as it comes, each ICY title the track's title in Home Assistant and on the player", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const tone = await makeTone(path.join(await tempDir("yss-flow-"), "flow.mp3"), {seconds: 8, channels: 1});
    const flow = await flowStream(await readFile(tone));
    const dmr = await DmrLikeDevice.open(s.base);
    await dmr.setUri(flow.url, "Music Assistant");
    await dmr.play();
    const title = () => /<dc:title>([^<]*)<\/dc:title>/.exec(dmr.state.CurrentTrackMetaData ?? "")?.[1];
    await waitFor(() => title() === "Baby Beluga", "the first song's title", 15_000);
    expect(dmr.state.CurrentTrackMetaData).toContain("<upnp:artist>Raffi</upnp:artist>");
    expect(dmr.state.TransportState).toBe("PLAYING");
    // Live: no length, so nothing to seek in, and nothing next.
    expect(dmr.state.CurrentTransportActions).toBe("Pause,Stop");
    const players = await call("GET", `${s.t.adminUrl}/api/players`);
    expect((players.body as {songs: Record<string, string>}).songs[MINI]).toBe("Raffi - Baby Beluga");

    flow.release();
    await waitFor(() => title() === "Second Song", "the second song's title", 15_000);
    // The relay passed the audio through whole, without the metadata blocks, in one answer.
    const relay = s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
    await waitFor(() => relay[0]?.complete === true, "the stream's end");
    expect(relay).toHaveLength(1);
    const half = Math.floor((await readFile(tone)).length / 2 / METAINT) * METAINT;
    expect(relay[0]?.bytes).toBe(half * 2);
    expect(flow.icyAsked.every(Boolean)).toBe(true);
  }, 60_000);

  it("passes a stream joined mid-frame through from its first whole frame", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const tone = await makeTone(path.join(await tempDir("yss-flow-"), "flow.mp3"), {seconds: 4, channels: 1});
    // 417 bytes in: inside the first frames, as a station joined mid-way is.
    const audio = (await readFile(tone)).subarray(417);
    const flow = await flowStream(audio);
    flow.release();
    const dmr = await DmrLikeDevice.open(s.base);
    await dmr.setUri(flow.url, "Music Assistant");
    await dmr.play();
    const relay = () => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
    await waitFor(() => relay()[0]?.complete === true, "the stream's end", 15_000);
    const sent = Math.floor(audio.length / 2 / METAINT) * METAINT * 2;
    // What came before the first whole frame was dropped: less than one frame (at most 1,441 bytes).
    expect(relay()[0]?.bytes).toBeLessThan(sent);
    expect(relay()[0]?.bytes).toBeGreaterThan(sent - 1441);
  }, 60_000);
});
