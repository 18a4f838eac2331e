import {spawn} from "node:child_process";
import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import os from "node:os";
import {sleep} from "./cloud.js";
import {sized} from "./lib.js";
import type {EventSink} from "./upnpHttp.js";

/**
 * The NOTIFY comparison's crowd (bench/upnpNotify.ts): CROWD subscribers to RenderingControl on
 * plain Node keep-alive servers, the renderers' CPU and the connections their NOTIFYs came on per
 * burst; and the plain HTTP the comparison speaks to both renderers.
 */

const WARMUP = sized(3, 1);
/** A renderer's events for one service come at most every 200 ms: each action waits for its service to be quiet this long. */
export const QUIET_MS = 300;
const SERVICE_TYPE = (service: string) => `urn:schemas-upnp-org:service:${service}:1`;

export async function soapAt(
  url: string,
  service: string,
  action: string,
  args: Record<string, string>,
): Promise<void> {
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
export async function request(
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
export const CROWD = sized(200, 20);
/** Loopback addresses they subscribe from (127.0.0.10 on): a renderer takes 12 subscriptions from one host. */
const CROWD_HOSTS = 20;
const CROWD_RUNS = sized(20, 2);
/** Busy loops for the busy rounds: every core but one. */
export const BUSY = Math.max(1, os.cpus().length - 1);
/** After a burst's last NOTIFY, its answers are read: the renderer's CPU is read this much later. */
const AFTERMATH_MS = 50;
/** A member with no NOTIFY yet when none came for this long gets none. */
const GIVE_UP_MS = 2000;

/** A renderer (or this service's set of them) with a crowd subscribed to RenderingControl. */
export interface CrowdTarget {
  pid: number;
  key: string;
  services: Array<{control: string; event: string}>;
  /** Subscribers in its crowd (CROWD unless said). */
  crowd?: number;
}

/**
 * CPU (ms) per NOTIFY with the whole crowd (the actions' own work shared out over their NOTIFYs),
 * and what one more subscriber costs (the slope from one subscriber per renderer to the crowd);
 * each member's SetVolume → NOTIFY (ms), idle and with BUSY cores busy.
 */
export interface CrowdFigures {
  cpuMs: number;
  marginalMs: number;
  notifies: number;
  idle: number[];
  busy: number[];
  /** Members' NOTIFYs that never came, idle and busy. */
  missed: {idle: number; busy: number};
  /** Connections the renderer opened to the crowd over the idle rounds, per NOTIFY the crowd took. */
  connectionsPerNotify: number;
}

/** CPU and NOTIFYs over a target's measured bursts. */
interface Spent {
  cpuMs: number;
  notifies: number;
  bursts: number;
  /** The crowd's NOTIFYs alone (not the sink's), and the connections they came on that were new in the burst. */
  crowdNotifies: number;
  connections: number;
}

/**
 * The crowd's figures for each target, in order, each round taking both in turn: first with one
 * subscriber per renderer, then with the whole crowd, idle and busy.
 */
export async function crowdFigures(targets: CrowdTarget[], sink: EventSink): Promise<CrowdFigures[]> {
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
            f.spent.crowdNotifies += burst.crowdNotifies;
            f.spent.connections += burst.connections;
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
      targets.map(() => ({
        spent: {cpuMs: 0, notifies: 0, bursts: 0, crowdNotifies: 0, connections: 0},
        latencies: [] as number[],
        missed: 0,
      }));
    const few = fresh();
    await rounds(false, few);
    for (const [k, target] of targets.entries())
      members[k]?.push(...(await crowd.subscribe(target, target.services.length, target.crowd ?? CROWD)));
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
        connectionsPerNotify: b.connections / b.crowdNotifies,
      };
    });
  } finally {
    await crowd.stop();
  }
}

/**
 * CROWD callbacks on CROWD_HOSTS loopback addresses, each SUBSCRIBE sent from its callback's
 * address (a renderer sends events to the subscriber's own address only); every NOTIFY answered 200
 * at once and noted with when it came. Plain Node keep-alive servers, as they come: `writeHead(200).end()`
 * answers chunked (an empty body, "0\r\n\r\n"), and an idle connection is closed after 5 s.
 */
class Crowd {
  readonly #servers: http.Server[] = [];
  /** Connections made to the crowd's servers so far (any renderer's: a burst counts those opened while it ran). */
  #connections = 0;
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
      server.on("connection", () => {
        this.#connections++;
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
   * the sink's), read from /proc (utime + stime, every thread's); the connections it opened to the
   * crowd meanwhile (the bursts take turns, so every one made then is its).
   */
  async burst(target: CrowdTarget, members: string[], sink: EventSink, level: number) {
    await this.#quiet(QUIET_MS);
    const from = this.events.length;
    const connectionsFrom = this.#connections;
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
      crowdNotifies: this.events.length - from,
      connections: this.#connections - connectionsFrom,
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
