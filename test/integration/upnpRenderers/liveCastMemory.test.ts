import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {startSimulator} from "../../helpers/cloud.js";
import {DmrLikeDevice} from "../../helpers/dmrDevice.js";
import {flowSource} from "../../helpers/flowSource.js";
import {until} from "../../helpers/icecast.js";
import {startInspectedService} from "../../helpers/inspectedService.js";
import {tempDir} from "../../helpers/tmp.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const MIB = 1024 * 1024;
/** What the live cast may hold, whatever passed: its buffers are a few highWaterMarks (tens of KB). */
const BOUND = 16 * MIB;
/** Audio passed through the cast: many times the bound (about 3.6 hours of a 128 kb/s stream). */
const PASSED = 200 * MIB;

interface Memory {
  heapUsed: number;
  arrayBuffers: number;
  gc: boolean;
}

/**
 * A live cast keeps nothing (issue 99): ten renderers casting Music Assistant's flow stream grew by
 * 42.7 MiB in 5 minutes, each relayed chunk kept by a reaction left on a promise that lived as long
 * as the cast. Here one endless source passes 200 MiB through a real cast — SetAVTransportURI and
 * Play over SOAP, the relay card played by the simulator's player, which reads it for as long as it
 * plays — to the service in a process of its own, run with --expose-gc. Its heap and its buffers
 * (a chunk is a Buffer, outside the heap) after a collection stay within 16 MiB of what they were
 * before, half-way and at the end; and after Stop, within 4 MiB.
 */
describe("a live cast held for hours", () => {
  it("holds at most its window whatever passed through it, and Stop gives it back", async () => {
    const sim = await startSimulator({fetchLimitBytes: Number.POSITIVE_INFINITY});
    const root = await tempDir("yss-live-memory-");
    const svc = await startInspectedService(sim, {
      dataDir: path.join(root, "data"),
      mediaDir: path.join(root, "media"),
      rulesDir: path.join(root, "rules"),
    });
    const tone = await makeTone(path.join(root, "tone.mp3"), {seconds: 20, channels: 1});
    const source = await flowSource({audio: await readFile(tone), loop: true});
    await until(async () => (await svc.ask<boolean>({ask: "renderer", player: MINI})) === true, "the Mini's renderer");
    const memory = async () => {
      const m = await svc.ask<Memory>({ask: "memory"});
      expect(m.gc, "the service runs with --expose-gc").toBe(true);
      return m.heapUsed + m.arrayBuffers;
    };
    const before = await memory();

    const dmr = await DmrLikeDevice.open(`http://127.0.0.1:${svc.upnpPort}/upnp/${MINI}`);
    await dmr.setUri(source.url, "Music Assistant");
    await dmr.play();
    const relay = () => sim.player(MINI).fetches.find((f) => f.url.includes("/relay/"));
    const passed = () => relay()?.bytes ?? 0;
    await until(() => passed() >= PASSED / 2, "half the audio through the cast", 300_000);
    const halfWay = await memory();
    await until(() => passed() >= PASSED, "all the audio through the cast", 300_000);
    const atEnd = await memory();
    // One answer carried it all: the cast went on, nothing was asked again.
    expect(source.answers).toBe(1);
    expect(dmr.state.TransportState).toBe("PLAYING");

    await dmr.ok("Stop");
    await until(async () => (await svc.ask({ask: "relayClip", player: MINI})) === null, "the relay let go of");
    await until(() => dmr.state.TransportState === "STOPPED", "STOPPED evented");
    const after = await memory();

    const mib = (n: number) => `${(n / MIB).toFixed(1)} MiB`;
    const seen = `before ${mib(before)}, half-way ${mib(halfWay)}, at the end ${mib(atEnd)}, after Stop ${mib(after)}, with ${mib(passed())} passed`;
    expect(halfWay - before, seen).toBeLessThan(BOUND);
    expect(atEnd - before, seen).toBeLessThan(BOUND);
    expect(after - before, seen).toBeLessThan(4 * MIB);
    await svc.stop();
  }, 600_000);
});
