import {mkdir, readFile} from "node:fs/promises";
import path from "node:path";
import mqtt from "mqtt";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import type {PlayerSpec} from "../src/sim/player.js";
import type {YotoSimulator} from "../src/sim/simulator.js";
import {latencyRow, quantile, sleep} from "./cloud.js";
import {forkService, sized, table} from "./lib.js";
import {audioHost, EventSink, soap, soapValue} from "./upnpHttp.js";
import {idleMemory} from "./upnpMemory.js";
import {notifyComparison} from "./upnpNotify.js";
import {PLAYERS, type Ready as SetupReady, subscribeAll, withService} from "./upnpSetup.js";

/** What bench/servers/upnpService.ts says once ready. */
interface Ready extends SetupReady {
  adminUrl: string;
  broker: {url: string; username?: string; password?: string};
}

const RUNS = sized(30, 3);
const WARMUP = sized(3, 1);
const CHANGES = sized(300, 6);
/** A renderer sends a service's events at most every 200 ms (UPnP AV's moderation): changes of one player are spaced wider. */
const SAME_PLAYER_GAP_MS = 300;
type Row = Record<string, string | number>;

/**
 * The UPnP renderers (issue 58) on the simulator, driven over plain HTTP as a control point drives
 * them; the service in a process of its own with PLAYERS renderers, the simulator and the control
 * point here. (1) SetAVTransportURI + Play of a loopback MP3 → the relay card's first byte at the
 * simulated player, against the same MP3 announced through the admin API (resume false: the route the
 * service had for playing a URL on the relay card) and a plain GET of the MP3 (the floor: a byte over
 * loopback), interleaved. (2) A knob turn on a simulated player → the NOTIFY at the subscriber's
 * callback, against the MQTT state message the bridge publishes for the same turn (how soon the rest of
 * the service's users see it). (3) Idle RSS with PLAYERS renderers and as many subscribers, against
 * the same service with `upnp` off.
 */
export async function upnpRendererBench(workDir: string): Promise<Row[]> {
  const root = path.join(workDir, "upnp");
  const mp3 = path.join(root, "media", "song.mp3");
  await mkdir(path.dirname(mp3), {recursive: true});
  await runFfmpeg(requireFfmpeg().path, ["-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=5", mp3]);
  // BENCH_NOTIFY_ONLY=1: the NOTIFY comparison alone (issue 99's figures), without the casts and idle memory before it.
  if (process.env.BENCH_NOTIFY_ONLY === "1") {
    const notify = await notifyComparison(root);
    console.log(`\nAn action → its NOTIFY, this service against gmediarender in the same run\n${table(notify)}`);
    return notify;
  }
  const host = await audioHost(await readFile(mp3));
  try {
    const launch = (args: string[]) => forkService("upnpService", args);
    const latency = await withService<Row[], Ready>(
      {root, name: "latency", upnp: true, launch},
      async (ready, sim, specs) => {
        // Subscribed before anything is cast, as Home Assistant is: an action's answer waits for its event.
        const sink = new EventSink();
        await sink.start();
        try {
          await subscribeAll(`http://127.0.0.1:${ready.upnpPort}`, specs, sink);
          const cast = await castFirstByte(ready, sim, specs[0] as PlayerSpec, host.url, sink);
          const events = await changeToNotify(ready, sim, specs, sink);
          return [...cast, ...events];
        } finally {
          await sink.stop();
        }
      },
    );
    const memory = await idleMemory(root);
    console.log(
      `\nUPnP renderers on the simulator, ${PLAYERS} players (service in its own process)\n${table(latency)}`,
    );
    console.log(`\n${table(memory)}`);
    const notify = await notifyComparison(root);
    console.log(`\nAn action → its NOTIFY, this service against gmediarender in the same run\n${table(notify)}`);
    return [...latency, ...memory, ...notify];
  } finally {
    await host.stop();
  }
}

type SimPlayer = YotoSimulator extends {player(id: string): infer P} ? P : never;

/** The first relay fetch the player made after `before` fetches, once its first byte is in: when it came. */
async function relayFirstByte(player: SimPlayer, before: number): Promise<number> {
  const deadline = performance.now() + 15_000;
  for (;;) {
    const relay = player.fetches.slice(before).find((f) => f.url.includes("/relay/"));
    if (relay?.firstByteAt !== undefined) return relay.firstByteAt;
    if (performance.now() > deadline) throw new Error("bench: the player never fetched the relay card's audio");
    // The sim stamps the byte's arrival itself: how often this looks does not change the figure.
    await sleep(2);
  }
}

/**
 * (1) Cast → first relay byte, the announce route and a plain GET, interleaved so each sees the same
 * box. A cast twice a round: once with the player's events quiet for SAME_PLAYER_GAP_MS (a cast out of
 * the blue), and once straight after a Stop, as Home Assistant's play_media sends Stop, then
 * SetAVTransportURI, then Play: there each answer waits for its event, which waits out the renderer's
 * 200 ms moderation after the Stop's.
 */
async function castFirstByte(
  ready: Ready,
  sim: YotoSimulator,
  spec: PlayerSpec,
  url: string,
  sink: EventSink,
): Promise<Row[]> {
  const base = `http://127.0.0.1:${ready.upnpPort}`;
  const id = spec.deviceId;
  const player = sim.player(id);
  const plain: number[] = [];
  const announced: number[] = [];
  const isolated = {first: [] as number[], set: [] as number[], play: [] as number[]};
  const afterStop = {first: [] as number[], set: [] as number[], play: [] as number[]};
  const castOnce = async (into: typeof isolated, count: boolean) => {
    const before = player.fetches.length;
    const started = performance.now();
    await soap(base, id, "AVTransport", "SetAVTransportURI", {
      InstanceID: "0",
      CurrentURI: url,
      CurrentURIMetaData: "",
    });
    const setAt = performance.now();
    await soap(base, id, "AVTransport", "Play", {InstanceID: "0", Speed: "1"});
    const playAt = performance.now();
    const firstAt = await relayFirstByte(player, before);
    if (!count) return;
    into.first.push(firstAt - started);
    into.set.push(setAt - started);
    into.play.push(playAt - started);
  };
  const stop = async () => {
    await soap(base, id, "AVTransport", "Stop", {InstanceID: "0"});
    await untilStopped(base, id);
  };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const count = i >= WARMUP;
    let started = performance.now();
    const res = await fetch(url);
    const reader = res.body?.getReader();
    await reader?.read();
    if (count) plain.push(performance.now() - started);
    await reader?.cancel();

    const before = player.fetches.length;
    started = performance.now();
    const answer = await fetch(`${ready.adminUrl}/api/players/${id}/announce`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({media: url, resume: false, chime: false}),
    });
    if (answer.status !== 200) throw new Error(`bench: announce answered ${answer.status}: ${await answer.text()}`);
    const announcedAt = await relayFirstByte(player, before);
    if (count) announced.push(announcedAt - started);

    await sink.quiet(`${id}/AVTransport`, SAME_PLAYER_GAP_MS);
    await castOnce(isolated, count);
    await stop();
    await castOnce(afterStop, count);
    await stop();
  }
  const ratio = (xs: number[], q: number) => (quantile(xs, q) / quantile(announced, q)).toFixed(2);
  return [
    latencyRow("plain GET of the MP3 → first byte (floor)", plain),
    latencyRow("announce the MP3, resume false (admin API; baseline) → first relay byte", announced),
    latencyRow("SetAVTransportURI + Play of the MP3 → first relay byte", isolated.first),
    latencyRow("  of which: SetAVTransportURI answered", isolated.set),
    latencyRow("  of which: Play answered", isolated.play),
    latencyRow("the same straight after a Stop (HA's play_media) → first relay byte", afterStop.first),
    latencyRow("  of which: SetAVTransportURI answered", afterStop.set),
    latencyRow("  of which: Play answered", afterStop.play),
    {
      path: "ratio cast / announce",
      events: "",
      p50_ms: ratio(isolated.first, 0.5),
      p99_ms: ratio(isolated.first, 0.99),
    },
    {
      path: "ratio cast after a Stop / announce",
      events: "",
      p50_ms: ratio(afterStop.first, 0.5),
      p99_ms: ratio(afterStop.first, 0.99),
    },
  ];
}

/** Until the renderer says the player is no longer playing (the Stop reached it and came back in its state). */
async function untilStopped(base: string, id: string): Promise<void> {
  const deadline = performance.now() + 15_000;
  for (;;) {
    const info = await soap(base, id, "AVTransport", "GetTransportInfo", {InstanceID: "0"});
    const state = soapValue(info, "CurrentTransportState");
    if (state === "STOPPED" || state === "NO_MEDIA_PRESENT") return;
    if (performance.now() > deadline) throw new Error(`bench: the player did not stop (${state})`);
    await sleep(5);
  }
}

/**
 * (2) A knob turn → the NOTIFY with the new Volume at the subscriber, and → the bridge's MQTT state
 * message with the new level: both timed from the same turn. One subscriber per renderer (to
 * AVTransport and RenderingControl, as Home Assistant's DLNA integration subscribes); turns round the
 * players one at a time, each player's turns at least SAME_PLAYER_GAP_MS apart.
 */
async function changeToNotify(ready: Ready, sim: YotoSimulator, specs: PlayerSpec[], sink: EventSink): Promise<Row[]> {
  const {url, ...login} = ready.broker;
  const client = await mqtt.connectAsync(url, {...login, protocolVersion: 4});
  try {
    const mqttWaits = new Set<(s: {id: string; volume?: number; at: number}) => void>();
    client.on("message", (topic, payload) => {
      if (payload.length === 0) return;
      const body = JSON.parse(payload.toString()) as {volume?: number};
      const state = {id: topic.slice("yoto/".length), volume: body.volume, at: performance.now()};
      for (const w of mqttWaits) w(state);
    });
    await client.subscribeAsync("yoto/+", {qos: 0});
    const notify: number[] = [];
    const published: number[] = [];
    const lastTurn = new Map<string, number>();
    for (let k = 0; k < CHANGES; k++) {
      const spec = specs[k % specs.length] as PlayerSpec;
      const player = sim.player(spec.deviceId);
      const gap = SAME_PLAYER_GAP_MS - (performance.now() - (lastTurn.get(spec.deviceId) ?? 0));
      if (gap > 0) await sleep(gap);
      const step = player.volume >= 16 ? -1 : player.volume <= 1 ? 1 : k % (2 * specs.length) < specs.length ? 1 : -1;
      const level = player.volume + step;
      const key = `${spec.deviceId}/RenderingControl`;
      const event = sink.next((n) => n.key === key && /<Volume channel="Master" val="/.test(n.body), "the Volume");
      const state = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("bench: no MQTT state with the new volume in 10 s")), 10_000);
        const waiter = (s: {id: string; volume?: number; at: number}) => {
          if (s.id !== spec.deviceId || s.volume !== level) return;
          clearTimeout(timer);
          mqttWaits.delete(waiter);
          resolve(s.at);
        };
        mqttWaits.add(waiter);
      });
      const turned = performance.now();
      lastTurn.set(spec.deviceId, turned);
      player.turnKnob(step);
      const [n, s] = await Promise.all([event, state]);
      notify.push(n.at - turned);
      published.push(s - turned);
    }
    const ratio = (q: number) => (quantile(notify, q) / quantile(published, q)).toFixed(2);
    return [
      latencyRow("knob turn → bridge's MQTT state message (baseline)", published),
      latencyRow("knob turn → GENA NOTIFY at the subscriber (goal p99 < 100 ms)", notify),
      {path: "ratio NOTIFY / MQTT state", events: "", p50_ms: ratio(0.5), p99_ms: ratio(0.99)},
    ];
  } finally {
    await client.endAsync(true);
  }
}

/** The MP3 on a loopback web server, as a NAS or Music Assistant hands one out (HEAD answered too). */
