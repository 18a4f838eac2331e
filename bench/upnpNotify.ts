import {spawn} from "node:child_process";
import {mkdir, readFile} from "node:fs/promises";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {latencyRow, quantile} from "./cloud.js";
import {BENCH_DIR, forkService, sized} from "./lib.js";
import {GMEDIARENDER, NETNS_SETUP, startGmediarender} from "./servers/gmediarender.js";
import {audioHost, EventSink} from "./upnpHttp.js";
import {
  BUSY,
  CROWD,
  type CrowdFigures,
  type CrowdTarget,
  crowdFigures,
  QUIET_MS,
  request,
  soapAt,
} from "./upnpNotifyCrowd.js";
import {PLAYERS, withService} from "./upnpSetup.js";

/** Subscribers per renderer when this service's crowd spreads over its PLAYERS renderers. */
const FAN_OUT = Math.ceil(CROWD / PLAYERS);

/** Both renderers' figures, and the reference's crowd figures at this service's fan-out. */
interface Compared {
  ours: Figures;
  theirs?: Figures;
  fanOut?: CrowdFigures;
}

const RUNS = sized(30, 3);
const WARMUP = sized(3, 1);
type Row = Record<string, string | number>;

/** One renderer's two services as a control point reaches them. */
interface Target {
  name: string;
  avTransport: {control: string; event: string};
  renderingControl: {control: string; event: string};
}

interface Figures {
  volume: number[];
  playing: number[];
  crowd: CrowdFigures;
}

/**
 * SetVolume → the NOTIFY with the new Volume, and SetAVTransportURI + Play → the NOTIFY saying
 * PLAYING, at a subscriber of each renderer: this service's and Debian's gmediarender, in the same
 * run, interleaved so each sees the same box. gmediarender serves no loopback (libupnp refuses it),
 * so when it is installed and this is root, both run in a network namespace of the bench's own
 * (bench/servers/gmediarender.ts); otherwise this service alone, and the rows say why.
 */
export async function notifyComparison(root: string): Promise<Row[]> {
  const why = !GMEDIARENDER
    ? "gmediarender is not installed (Debian's gmediarender package)"
    : process.getuid?.() !== 0
      ? "gmediarender needs a network namespace of its own (unshare -n, as root): libupnp serves no loopback"
      : undefined;
  if (why) return rowsOf(await compare(root, false), why);
  try {
    return await inNamespace(root);
  } catch (err) {
    // The reference failing is no failure of this service: its rows say so, and this service is measured alone.
    const failed = `the comparison failed (${(err as Error).message})`;
    console.error(`bench: ${failed}`);
    return rowsOf(await compare(root, false), failed);
  }
}

async function inNamespace(root: string): Promise<Row[]> {
  const child = spawn(
    "unshare",
    [
      "-n",
      "sh",
      "-c",
      NETNS_SETUP,
      "sh",
      process.execPath,
      "--import",
      "tsx",
      path.join(BENCH_DIR, "servers", "notifyCompare.ts"),
      root,
    ],
    {stdio: ["ignore", "pipe", "inherit"]},
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const line = out.split("\n").find((l) => l.startsWith("RESULT "));
  if (code !== 0 || !line) throw new Error(`bench: the gmediarender comparison exited ${code} without its figures`);
  return JSON.parse(line.slice("RESULT ".length)) as Row[];
}

/** Both renderers measured (in the namespace: bench/servers/notifyCompare.ts), or this service alone. */
export async function compare(root: string, withReference: boolean): Promise<Compared> {
  const dir = path.join(root, "notify");
  const mp3 = path.join(dir, "media", "song.mp3");
  await mkdir(path.dirname(mp3), {recursive: true});
  await runFfmpeg(requireFfmpeg().path, ["-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=5", mp3]);
  const song = await audioHost(await readFile(mp3));
  const sink = new EventSink();
  await sink.start();
  const reference = withReference ? await startGmediarender(49_494) : undefined;
  // A second gmediarender with as many subscribers as each of this service's renderers has (the
  // crowd spreads over them: a renderer takes 32): the same NOTIFYs per action on both sides.
  const sameFanOut = withReference ? await startGmediarender(49_496, 2) : undefined;
  try {
    return await withService(
      {root: dir, name: "notify", upnp: true, launch: (args) => forkService("upnpService", args)},
      async (ready, _sim, specs, child) => {
        const id = (specs[0] as {deviceId: string}).deviceId;
        const at = (service: string, player = id) => ({
          control: `http://127.0.0.1:${ready.upnpPort}/upnp/${player}/${service}/control`,
          event: `http://127.0.0.1:${ready.upnpPort}/upnp/${player}/${service}/event`,
        });
        const targets: Target[] = [
          {name: "ours", avTransport: at("AVTransport"), renderingControl: at("RenderingControl")},
          ...(reference ? [{name: "gmediarender", ...reference}] : []),
        ];
        for (const target of targets) await subscribeBoth(target, sink);
        const figures = targets.map(() => ({volume: [] as number[], playing: [] as number[]}));
        for (let i = 0; i < WARMUP + RUNS; i++)
          for (const [k, target] of targets.entries()) {
            const volume = await setVolume(target, sink, i % 2 === 0 ? 30 : 60);
            const playing = await castAndPlay(target, sink, song.url);
            if (i < WARMUP) continue;
            figures[k]?.volume.push(volume);
            figures[k]?.playing.push(playing);
          }
        // This service's crowd spreads over its renderers (a renderer takes 32 subscriptions), gmediarender's is on its one.
        const crowds: CrowdTarget[] = [
          {
            pid: child.child.pid as number,
            key: "ours",
            services: specs.map((spec) => at("RenderingControl", spec.deviceId)),
          },
          ...(reference ? [{pid: reference.pid, key: "gmediarender", services: [reference.renderingControl]}] : []),
          ...(sameFanOut
            ? [
                {
                  pid: sameFanOut.pid,
                  key: "gmediarender-fan-out",
                  services: [sameFanOut.renderingControl],
                  crowd: FAN_OUT,
                },
              ]
            : []),
        ];
        const crowd = await crowdFigures(crowds, sink);
        const [ours, theirs] = figures.map((f, k) => ({...f, crowd: crowd[k] as CrowdFigures}));
        const fanOut = crowd[2];
        return {ours: ours as Figures, ...(theirs ? {theirs: theirs as Figures} : {}), ...(fanOut ? {fanOut} : {})};
      },
    );
  } finally {
    await reference?.stop();
    await sameFanOut?.stop();
    await sink.stop();
    await song.stop();
  }
}

/** The table's rows: each figure for both, and ours over theirs (SPEC §14: NOTIFY p99 < 100 ms). */
export function rowsOf(f: Compared, why?: string): Row[] {
  const ratio = (a: number[], b: number[], q: number) => (quantile(a, q) / quantile(b, q)).toFixed(2);
  const pair = (what: string, ours: number[], theirs?: number[], goal = ""): Row[] => [
    latencyRow(`${what}: this service${goal}`, ours),
    theirs
      ? latencyRow(`${what}: gmediarender (reference)`, theirs)
      : {path: `${what}: gmediarender — not measured: ${why ?? "unknown"}`, events: "", p50_ms: "", p99_ms: ""},
    ...(theirs
      ? [
          {
            path: `  ratio ours / gmediarender`,
            events: "",
            p50_ms: ratio(ours, theirs, 0.5),
            p99_ms: ratio(ours, theirs, 0.99),
          },
        ]
      : []),
  ];
  const cpu = (c: CrowdFigures) => ({
    path: "",
    events: c.notifies,
    p50_ms: "",
    p99_ms: "",
    cpu_ms_per_notify: c.cpuMs.toFixed(3),
    cpu_ms_per_added_notify: c.marginalMs.toFixed(3),
    connections_per_notify: c.connectionsPerNotify.toFixed(3),
  });
  // cpu_ms_per_notify: the renderer's CPU over a burst over its NOTIFYs (its actions' work too: this
  // service's ten SetVolumes go to the players' cloud); per_added_notify: what one more subscriber
  // adds, from bursts with one subscriber per renderer to bursts with the crowd; connections_per_notify:
  // the connections opened to the crowd's keep-alive servers over its NOTIFYs (goal ≤ 0.1).
  const crowdCpu: Row[] = [
    {
      ...cpu(f.ours.crowd),
      path: `CPU per NOTIFY, ${CROWD} subscribers: this service (goal ≤ 1.5× gmediarender, ≤ 0.1 connections per NOTIFY)`,
    },
    f.theirs
      ? {...cpu(f.theirs.crowd), path: `CPU per NOTIFY, ${CROWD} subscribers: gmediarender (reference)`}
      : {path: `CPU per NOTIFY: gmediarender — not measured: ${why ?? "unknown"}`, events: "", p50_ms: "", p99_ms: ""},
    ...(f.theirs
      ? [
          {
            path: "  ratio ours / gmediarender",
            events: "",
            p50_ms: "",
            p99_ms: "",
            cpu_ms_per_notify: (f.ours.crowd.cpuMs / f.theirs.crowd.cpuMs).toFixed(2),
            cpu_ms_per_added_notify: (f.ours.crowd.marginalMs / f.theirs.crowd.marginalMs).toFixed(2),
          },
        ]
      : []),
    ...(f.fanOut
      ? [
          {
            ...cpu(f.fanOut),
            path: `CPU per NOTIFY, ${FAN_OUT} subscribers a renderer (this service's fan-out): gmediarender (reference)`,
          },
          {
            path: `  ratio ours / gmediarender, ${FAN_OUT} subscribers a renderer on both (goal ≤ 1.5)`,
            events: "",
            p50_ms: "",
            p99_ms: "",
            cpu_ms_per_notify: (f.ours.crowd.cpuMs / f.fanOut.cpuMs).toFixed(2),
            cpu_ms_per_added_notify: (f.ours.crowd.marginalMs / f.fanOut.marginalMs).toFixed(2),
          },
        ]
      : []),
  ];
  const rows: Row[] = [
    ...pair("SetVolume → its NOTIFY", f.ours.volume, f.theirs?.volume, " (goal p99 < 100 ms)"),
    ...pair("SetAVTransportURI + Play → NOTIFY PLAYING", f.ours.playing, f.theirs?.playing),
    ...crowdCpu,
    ...missing(
      pair(`SetVolume → NOTIFY at each of ${CROWD} subscribers`, f.ours.crowd.idle, f.theirs?.crowd.idle),
      f,
      "idle",
    ),
    ...missing(
      pair(
        `SetVolume → NOTIFY at each of ${CROWD}, ${BUSY} other core(s) busy`,
        f.ours.crowd.busy,
        f.theirs?.crowd.busy,
        " (goal p99 ≤ gmediarender's)",
      ),
      f,
      "busy",
    ),
  ];
  // Every row with every column, in one order: the table takes its columns from the first.
  const cols = [
    "path",
    "events",
    "p50_ms",
    "p99_ms",
    "cpu_ms_per_notify",
    "cpu_ms_per_added_notify",
    "connections_per_notify",
    "missed",
  ];
  return rows.map((row) => Object.fromEntries(cols.map((c) => [c, row[c] ?? ""])));
}

/** The crowd's latency rows with how many of its NOTIFYs never came (gmediarender drops some). */
function missing(rows: Row[], f: {ours: Figures; theirs?: Figures}, when: "idle" | "busy"): Row[] {
  const [ours, theirs, ...rest] = rows;
  return [
    {...ours, missed: f.ours.crowd.missed[when]},
    ...(theirs ? [{...theirs, missed: f.theirs?.crowd.missed[when] ?? ""}] : []),
    ...rest,
  ];
}

async function subscribeBoth(target: Target, sink: EventSink): Promise<void> {
  for (const [service, at] of [
    ["AVTransport", target.avTransport],
    ["RenderingControl", target.renderingControl],
  ] as const) {
    const key = `${target.name}/${service}`;
    const initial = sink.next((n) => n.key === key && n.seq === 0, `the initial event of ${key}`);
    const answer = await request(at.event, "SUBSCRIBE", {
      CALLBACK: sink.callback(key),
      NT: "upnp:event",
      TIMEOUT: "Second-1800",
    });
    if (answer.status !== 200) throw new Error(`bench: SUBSCRIBE to ${key} answered ${answer.status}`);
    await initial;
  }
}

/** SetVolume → the first RenderingControl NOTIFY carrying a Volume (the service was quiet before). */
async function setVolume(target: Target, sink: EventSink, level: number): Promise<number> {
  const key = `${target.name}/RenderingControl`;
  await sink.quiet(key, QUIET_MS);
  const started = performance.now();
  const event = sink.next((n) => n.key === key && /<Volume\b[^>]*\bval="/.test(n.body), `${key}'s Volume`);
  await soapAt(target.renderingControl.control, "RenderingControl", "SetVolume", {
    InstanceID: "0",
    Channel: "Master",
    DesiredVolume: String(level),
  });
  return (await event).at - started;
}

/** SetAVTransportURI + Play → the NOTIFY saying PLAYING; then Stop, until the events say it stopped. */
async function castAndPlay(target: Target, sink: EventSink, url: string): Promise<number> {
  const key = `${target.name}/AVTransport`;
  const state = (s: string) => (n: {key: string; body: string}) =>
    n.key === key && new RegExp(`<TransportState\\b[^>]*\\bval="${s}"`).test(n.body);
  await sink.quiet(key, QUIET_MS);
  const started = performance.now();
  const playing = sink.next(state("PLAYING"), `${key} PLAYING`, 15_000);
  const control = target.avTransport.control;
  await soapAt(control, "AVTransport", "SetAVTransportURI", {InstanceID: "0", CurrentURI: url, CurrentURIMetaData: ""});
  await soapAt(control, "AVTransport", "Play", {InstanceID: "0", Speed: "1"});
  const took = (await playing).at - started;
  const stopped = sink.next(state("STOPPED"), `${key} STOPPED`, 15_000);
  await soapAt(control, "AVTransport", "Stop", {InstanceID: "0"});
  await stopped;
  return took;
}
