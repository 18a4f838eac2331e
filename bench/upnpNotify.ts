import {spawn} from "node:child_process";
import {mkdir, readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import os from "node:os";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {latencyRow, quantile, sleep} from "./cloud.js";
import {BENCH_DIR, forkService, sized} from "./lib.js";
import {GMEDIARENDER, NETNS_SETUP, startGmediarender} from "./servers/gmediarender.js";
import {audioHost, EventSink} from "./upnpHttp.js";
import {withService} from "./upnpSetup.js";

const RUNS = sized(30, 3);
const WARMUP = sized(3, 1);
/** A renderer's events for one service come at most every 200 ms: each action waits for its service to be quiet this long. */
const QUIET_MS = 300;
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
export async function compare(root: string, withReference: boolean): Promise<{ours: Figures; theirs?: Figures}> {
  const dir = path.join(root, "notify");
  const mp3 = path.join(dir, "media", "song.mp3");
  await mkdir(path.dirname(mp3), {recursive: true});
  await runFfmpeg(requireFfmpeg().path, ["-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=5", mp3]);
  const song = await audioHost(await readFile(mp3));
  const sink = new EventSink();
  await sink.start();
  const reference = withReference ? await startGmediarender(49_494) : undefined;
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
        ];
        const crowd = await crowdFigures(crowds, sink);
        const [ours, theirs] = figures.map((f, k) => ({...f, crowd: crowd[k] as CrowdFigures}));
        return {ours: ours as Figures, ...(theirs ? {theirs} : {})};
      },
    );
  } finally {
    await reference?.stop();
    await sink.stop();
    await song.stop();
  }
}

/** The table's rows: each figure for both, and ours over theirs (SPEC §14: NOTIFY p99 < 100 ms). */
export function rowsOf(f: {ours: Figures; theirs?: Figures}, why?: string): Row[] {
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
  });
  // cpu_ms_per_notify: the renderer's CPU over a burst over its NOTIFYs (its actions' work too: this
  // service's ten SetVolumes go to the players' cloud); per_added_notify: what one more subscriber
  // adds, from bursts with one subscriber per renderer to bursts with the crowd.
  const crowdCpu: Row[] = [
    {...cpu(f.ours.crowd), path: `CPU per NOTIFY, ${CROWD} subscribers: this service (goal ≤ 1.5× gmediarender)`},
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
  const cols = ["path", "events", "p50_ms", "p99_ms", "cpu_ms_per_notify", "cpu_ms_per_added_notify", "missed"];
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

const SERVICE_TYPE = (service: string) => `urn:schemas-upnp-org:service:${service}:1`;

async function soapAt(url: string, service: string, action: string, args: Record<string, string>): Promise<void> {
  const inner = Object.entries(args)
    .map(([name, value]) => `<${name}>${value.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</${name}>`)
    .join("");
  const body = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:${action} xmlns:u="${SERVICE_TYPE(service)}">${inner}</u:${action}></s:Body></s:Envelope>`;
  const res = await request(
    url,
    "POST",
    {
      "Content-Type": 'text/xml; charset="utf-8"',
      SOAPACTION: `"${SERVICE_TYPE(service)}#${action}"`,
    },
    body,
  );
  if (res.status !== 200) throw new Error(`bench: ${url} ${action} answered ${res.status}: ${res.body.slice(0, 300)}`);
}

/**
 * One request on a connection of its own: libupnp (gmediarender) closes a kept-alive connection
 * under the next request, which then fails ("socket hang up"). It also closes a new connection
 * unanswered while its job queue is full (of a burst's NOTIFYs): then the request goes again, at
 * most three times, and the retries count in its time.
 */
async function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
  localAddress?: string,
): Promise<{status: number; body: string}> {
  for (let tries = 1; ; tries++)
    try {
      return await requestOnce(url, method, headers, body, localAddress);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ECONNRESET" || tries === 3) throw err;
    }
}

function requestOnce(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
  localAddress?: string,
): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {method, headers, agent: false, ...(localAddress ? {localAddress} : {})}, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8")}));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Subscribers to RenderingControl at once, as issue #88 counts them. */
const CROWD = sized(200, 20);
/** Loopback addresses they subscribe from (127.0.0.10 on): a renderer takes 12 subscriptions from one host. */
const CROWD_HOSTS = 20;
const CROWD_RUNS = sized(20, 2);
/** Busy loops for the busy rounds: every core but one. */
const BUSY = Math.max(1, os.cpus().length - 1);
/** After a burst's last NOTIFY, its answers are read: the renderer's CPU is read this much later. */
const AFTERMATH_MS = 50;
/** A member with no NOTIFY yet when none came for this long gets none. */
const GIVE_UP_MS = 2000;

/** A renderer (or this service's set of them) with a crowd subscribed to RenderingControl. */
interface CrowdTarget {
  pid: number;
  key: string;
  services: Array<{control: string; event: string}>;
}

/**
 * CPU (ms) per NOTIFY with the whole crowd (the actions' own work shared out over their NOTIFYs),
 * and what one more subscriber costs (the slope from one subscriber per renderer to the crowd);
 * each member's SetVolume → NOTIFY (ms), idle and with BUSY cores busy.
 */
interface CrowdFigures {
  cpuMs: number;
  marginalMs: number;
  notifies: number;
  idle: number[];
  busy: number[];
  /** Members' NOTIFYs that never came, idle and busy. */
  missed: {idle: number; busy: number};
}

/** CPU and NOTIFYs over a target's measured bursts. */
interface Spent {
  cpuMs: number;
  notifies: number;
  bursts: number;
}

/**
 * The crowd's figures for each target, in order, each round taking both in turn: first with one
 * subscriber per renderer, then with the whole crowd, idle and busy.
 */
async function crowdFigures(targets: CrowdTarget[], sink: EventSink): Promise<CrowdFigures[]> {
  const crowd = new Crowd();
  await crowd.start();
  try {
    const members: string[][] = [];
    for (const target of targets) members.push(await crowd.subscribe(target, 0, target.services.length));
    const rounds = async (busy: boolean, into: Array<{spent: Spent; latencies: number[]; missed: number}>) => {
      const loops = busy
        ? Array.from({length: BUSY}, () => spawn(process.execPath, ["-e", "for(;;){}"], {stdio: "ignore"}))
        : [];
      try {
        for (let i = 0; i < WARMUP + CROWD_RUNS; i++)
          for (const [k, target] of targets.entries()) {
            const burst = await crowd.burst(target, members[k] as string[], sink, level(k));
            const f = into[k];
            if (i < WARMUP || !f) continue;
            f.latencies.push(...burst.latencies);
            f.missed += burst.missed;
            f.spent.cpuMs += burst.cpuMs;
            f.spent.notifies += burst.notifies;
            f.spent.bursts++;
          }
      } finally {
        for (const loop of loops) loop.kill("SIGKILL");
      }
    };
    // 40 and 20 in turn: each burst's level differs from its target's one before, the players' first (50) and the rounds above (30, 60).
    const bursts: number[] = [];
    const level = (k: number) => {
      bursts[k] = (bursts[k] ?? 0) + 1;
      return bursts[k] % 2 === 1 ? 40 : 20;
    };
    const fresh = () =>
      targets.map(() => ({spent: {cpuMs: 0, notifies: 0, bursts: 0}, latencies: [] as number[], missed: 0}));
    const few = fresh();
    await rounds(false, few);
    for (const [k, target] of targets.entries())
      members[k]?.push(...(await crowd.subscribe(target, target.services.length, CROWD)));
    const idle = fresh();
    await rounds(false, idle);
    const busy = fresh();
    await rounds(true, busy);
    return targets.map((_, k) => {
      const [a, b] = [few[k]?.spent as Spent, idle[k]?.spent as Spent];
      const perBurst = (s: Spent, what: "cpuMs" | "notifies") => s[what] / s.bursts;
      return {
        cpuMs: b.cpuMs / b.notifies,
        marginalMs: (perBurst(b, "cpuMs") - perBurst(a, "cpuMs")) / (perBurst(b, "notifies") - perBurst(a, "notifies")),
        notifies: b.notifies,
        idle: idle[k]?.latencies ?? [],
        busy: busy[k]?.latencies ?? [],
        missed: {idle: idle[k]?.missed ?? 0, busy: busy[k]?.missed ?? 0},
      };
    });
  } finally {
    await crowd.stop();
  }
}

/**
 * CROWD callbacks on CROWD_HOSTS loopback addresses, each SUBSCRIBE sent from its callback's
 * address (a renderer sends events to the subscriber's own address only); every NOTIFY answered 200
 * at once and noted with when it came.
 */
class Crowd {
  readonly #servers: http.Server[] = [];
  readonly events: Array<{who: string; at: number; volume: boolean}> = [];
  readonly #seen = new Set<string>();

  async start(): Promise<void> {
    for (let h = 0; h < CROWD_HOSTS; h++) {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const at = performance.now();
          res.writeHead(200).end();
          const volume = /Volume\b/.test(Buffer.concat(chunks).toString("latin1"));
          const who = (req.url ?? "/").slice(1);
          this.events.push({who, at, volume});
          this.#seen.add(who);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, hostAt(h), resolve));
      this.#servers.push(server);
    }
  }

  /** Members `from` to `to` (not included) subscribed to `target`'s services in turn; their names, once every initial event is in. */
  async subscribe(target: CrowdTarget, from: number, to: number): Promise<string[]> {
    const names: string[] = [];
    for (let i = from; i < to; i++) {
      const server = this.#servers[i % CROWD_HOSTS] as http.Server;
      const {port} = server.address() as AddressInfo;
      const who = `${target.key}-${i}`;
      const at = target.services[i % target.services.length] as {event: string};
      const headers = {
        CALLBACK: `<http://${hostAt(i % CROWD_HOSTS)}:${port}/${who}>`,
        NT: "upnp:event",
        TIMEOUT: "Second-1800",
      };
      const answer = await request(at.event, "SUBSCRIBE", headers, undefined, hostAt(i % CROWD_HOSTS));
      if (answer.status !== 200)
        throw new Error(`bench: the crowd's SUBSCRIBE to ${at.event} answered ${answer.status}: ${answer.body}`);
      names.push(who);
    }
    await this.#gather(() => names.every((who) => this.#seen.has(who)), performance.now());
    return names;
  }

  /**
   * SetVolume on each of the target's renderers at once → the first Volume NOTIFY at each member:
   * how long each took, and the renderer's CPU over the burst per NOTIFY it sent (the crowd's and
   * the sink's), read from /proc (utime + stime, every thread's).
   */
  async burst(target: CrowdTarget, members: string[], sink: EventSink, level: number) {
    await this.#quiet(QUIET_MS);
    const from = this.events.length;
    const sinkFrom = sink.received.length;
    const cpuBefore = await cpuMsOf(target.pid);
    const started = performance.now();
    await Promise.all(
      target.services.map((s) =>
        soapAt(s.control, "RenderingControl", "SetVolume", {
          InstanceID: "0",
          Channel: "Master",
          DesiredVolume: String(level),
        }),
      ),
    );
    const firsts = new Map<string, number>();
    const wanted = new Set(members);
    let seen = from;
    await this.#gather(() => {
      for (const e of this.events.slice(seen))
        if (e.volume && wanted.has(e.who) && !firsts.has(e.who)) firsts.set(e.who, e.at);
      seen = this.events.length;
      return firsts.size === members.length;
    }, started);
    await sleep(AFTERMATH_MS);
    const cpuMs = (await cpuMsOf(target.pid)) - cpuBefore;
    const notifies =
      this.events.length - from + sink.received.slice(sinkFrom).filter((n) => n.key.startsWith(target.key)).length;
    return {
      latencies: [...firsts.values()].map((at) => at - started),
      cpuMs,
      notifies,
      missed: members.length - firsts.size,
    };
  }

  /**
   * Until `done`, or until no NOTIFY came for GIVE_UP_MS: gmediarender drops events when its
   * libupnp's job queue is full (100 jobs), so some members never get theirs.
   */
  async #gather(done: () => boolean, since: number): Promise<void> {
    while (!done()) {
      if (performance.now() - Math.max(since, this.events.at(-1)?.at ?? 0) > GIVE_UP_MS) return;
      await sleep(5);
    }
  }

  async #quiet(ms: number): Promise<void> {
    for (;;) {
      const left = ms - (performance.now() - (this.events.at(-1)?.at ?? 0));
      if (left <= 0) return;
      await sleep(left);
    }
  }

  async stop(): Promise<void> {
    for (const server of this.#servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
}

function hostAt(h: number): string {
  return `127.0.0.${10 + h}`;
}

/** A process's CPU time so far (ms): user + system, of all its threads, living and ended. */
async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are the 14th and 15th fields, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
