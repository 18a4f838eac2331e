import {createReadStream} from "node:fs";
import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {MAX_FETCH_BYTES} from "../../../src/sim/trackFetch.js";
import {MAX_CONVERTERS, MAX_CONVERTERS_PER_RENDERER} from "../../../src/upnpRenderers/converterSlots.js";
import {makeTone} from "../../helpers/audio.js";
import {DmrLikeDevice} from "../../helpers/dmrDevice.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";
import {host, MINI, miniRenderer} from "../../helpers/upnpHttp.js";

const start = linkedBridge();
const LIVING_ROOM = DEMO_PLAYERS[0]!.deviceId;
const STEPS = 10;

/**
 * This process's ffmpeg children as the kernel has them: all, and those that have written audio
 * (a converter at work). The announcer keeps one ffmpeg started ahead for the next cast, waiting on
 * its input: it has written no audio, so it is told apart from a converter by that.
 */
async function ffmpegChildren(): Promise<{all: number; converting: number}> {
  let all = 0;
  let converting = 0;
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid !== process.pid || !stat.includes("(ffmpeg)")) continue;
    all++;
    const io = await readFile(`/proc/${name}/io`, "utf8").catch(() => "");
    // Its housekeeping writes a byte or so; a converter writes MP3 frames (417 bytes each).
    if (Number(/wchar: (\d+)/.exec(io)?.[1] ?? 0) > 1024) converting++;
  }
  return {all, converting};
}

/**
 * A 20-minute tone (it converts for about 10 s here), made once for the file: both tests only read
 * it, and encoding it is seconds of CPU.
 */
let longTone: Promise<string> | undefined;

/** The 20-minute tone served whole at once under any name. */
async function longSource(): Promise<(name: string) => string> {
  longTone ??= tempDir("yss-long-").then((dir) =>
    makeTone(path.join(dir, "long.mp3"), {seconds: 1200, sampleRate: 22050, channels: 1, bitrate: "32k"}),
  );
  const file = await longTone;
  const {origin} = await host("127.0.0.1", (req, res) => {
    res.writeHead(200, {"Content-Type": "audio/mpeg"});
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return (name) => `${origin}/flow/${name}.mp3`;
}

describe("the renderers' converters", () => {
  it("never run more ffmpeg than the ceilings while two renderers skip through ten long tracks each, and none after Stop", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    await waitFor(() => s.t.app.upnp.renderer(LIVING_ROOM) !== undefined, "the Living Room's renderer");
    const url = await longSource();
    const upnp = s.t.app.upnp;
    const base = (id: string) => `http://127.0.0.1:${upnp.port}/upnp/${id}`;

    // Every step and, between steps, every 20 ms: the service's own count and the processes there
    // are. An ffmpeg lives far longer than that (its start alone takes more), so none over the
    // ceiling goes unseen, and the reading of /proc no longer takes a core of its own.
    const seen = {total: 0, perRenderer: 0, os: 0, osAll: 0};
    const sample = async () => {
      seen.total = Math.max(seen.total, upnp.converters());
      seen.perRenderer = Math.max(seen.perRenderer, upnp.converters(MINI), upnp.converters(LIVING_ROOM));
      const os = await ffmpegChildren();
      seen.os = Math.max(seen.os, os.converting);
      seen.osAll = Math.max(seen.osAll, os.all);
    };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await sample();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const skipThrough = async (id: string) => {
      const dmr = await DmrLikeDevice.open(base(id));
      await dmr.setUri(url(`${id}-0`), "Track 0");
      await dmr.play();
      await waitFor(() => dmr.state.TransportState === "PLAYING", `${id} playing`, 15_000);
      for (let step = 1; step <= STEPS; step++) {
        await dmr.setNext(url(`${id}-${step}`), `Track ${step}`);
        await waitFor(() => dmr.state.NextAVTransportURI === url(`${id}-${step}`), `${id}'s next track ${step}`);
        await sample();
        await dmr.ok("Next");
        await waitFor(() => dmr.state.CurrentTrackURI === url(`${id}-${step}`), `${id} on track ${step}`, 15_000);
        await sample();
      }
      return dmr;
    };
    const devices = await Promise.all([skipThrough(MINI), skipThrough(LIVING_ROOM)]);
    sampling = false;
    await sampler;

    expect(seen.perRenderer).toBeGreaterThan(0);
    expect(seen.perRenderer).toBeLessThanOrEqual(MAX_CONVERTERS_PER_RENDERER);
    expect(seen.total).toBeLessThanOrEqual(Math.min(MAX_CONVERTERS, 2 * MAX_CONVERTERS_PER_RENDERER));
    // What the kernel saw keeps to the same ceiling: no process outlives its count (two renderers
    // reach 2 × MAX_CONVERTERS_PER_RENDERER), with at most the two started ahead beside them (a
    // Play right after a Stop finds one that has finished starting: warmEncoder.ts).
    expect(seen.os).toBeLessThanOrEqual(2 * MAX_CONVERTERS_PER_RENDERER);
    expect(seen.osAll).toBeLessThanOrEqual(2 * MAX_CONVERTERS_PER_RENDERER + 2);

    // Stop ends every converter the renderers started (the tracks stay, as items, for Play).
    for (const dmr of devices) await dmr.ok("Stop");
    await waitFor(() => upnp.converters() === 0, "no converter counted after Stop", 10_000);
    let left = await ffmpegChildren();
    const deadline = Date.now() + 10_000;
    while (left.converting > 0 && Date.now() < deadline) left = await ffmpegChildren();
    expect(left.converting).toBe(0);
    expect(left.all).toBeLessThanOrEqual(2);
    expect(upnp.health().details.converters).toBe(0);
  }, 180_000);

  it("seeks far into a long track its source sends at once, though only a window of it is converted", async () => {
    const s = await miniRenderer(start, [], {linkToOwnAudioListener: true});
    const url = await longSource();
    const dmr = await DmrLikeDevice.open(`http://127.0.0.1:${s.t.app.upnp.port}/upnp/${MINI}`);
    // No res@duration: its length is known only at its end, 20 minutes on.
    await dmr.setUri(url("long"), "Long");
    await dmr.play();
    await waitFor(() => dmr.state.TransportState === "PLAYING", "PLAYING", 15_000);
    const relay = () => s.sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"));
    // The simulated player reads its first 4 MiB at once, then no more (a Yoto reads at play pace
    // once its buffer is full): the converter then waits, its window full.
    await waitFor(() => (relay()[0]?.bytes ?? 0) >= MAX_FETCH_BYTES, "the player's buffer full", 30_000);
    await waitFor(
      () => s.t.app.upnp.renderer(MINI)?.cast?.queue?.current()?.track.audio.live?.heldBack === true,
      "the converter waiting",
      15_000,
    );
    await dmr.ok("Seek", {Unit: "REL_TIME", Target: "0:10:00"});
    const position = await dmr.ok("GetPositionInfo");
    expect(Number(/<RelTime>0:(\d+):\d+<\/RelTime>/.exec(position.body)?.[1])).toBe(10);
    // The seek is a new answer from 10 minutes in: the converter skips there, and the player hears it.
    await waitFor(() => (relay()[1]?.bytes ?? 0) > 5 * 16_000, "audio from 10 minutes in", 30_000);
    expect(s.t.app.upnp.converters(MINI)).toBeLessThanOrEqual(MAX_CONVERTERS_PER_RENDERER);
  }, 120_000);
});
