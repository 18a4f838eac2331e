import path from "node:path";
import {App} from "../src/app/app.js";
import {defaultConfig} from "../src/config/schema.js";
import {EventBus} from "../src/core/events.js";
import {Logger} from "../src/core/logger.js";
import {linkThroughBrowser} from "../src/sim/browser.js";
import type {PlayerSpec} from "../src/sim/player.js";
import {YotoSimulator} from "../src/sim/simulator.js";
import {Store} from "../src/store/store.js";
import {YotoAccount} from "../src/yoto/account.js";
import {OAuthClient} from "../src/yoto/oauthClient.js";
import {YotoPlayers} from "../src/yoto/players.js";
import {YotoRest} from "../src/yoto/rest.js";

/** The simulator and the service's cloud side, linked, players not yet started. */
export async function linkedCloud(workDir: string, name: string, specs?: PlayerSpec[]) {
  const sim = new YotoSimulator(specs ? {players: specs} : {});
  await sim.start();
  const client = await linkedClient(workDir, name, sim.endpoints);
  return {
    ...client,
    sim,
    async stop() {
      await client.stop();
      await sim.stop();
    },
  };
}

export type SimEndpoints = YotoSimulator["endpoints"];

/** The service's cloud side, linked to the (simulated) cloud at `endpoints`, players not yet started. */
export async function linkedClient(workDir: string, name: string, endpoints: SimEndpoints) {
  const log = new Logger({level: "error"});
  const store = new Store(path.join(workDir, `data-${name}`), log);
  await store.start();
  const bus = new EventBus(log);
  const account = new YotoAccount({oauth: new OAuthClient(endpoints.authUrl, "bench"), store, log});
  await account.start();
  await linkThroughBrowser(account);
  const rest = new YotoRest({apiUrl: endpoints.apiUrl, tokens: account, log});
  const players = new YotoPlayers({account, rest, mqttUrl: endpoints.mqttUrl, bus, log});
  return {
    log,
    bus,
    account,
    players,
    async stop() {
      await players.stop();
      await account.stop();
      await store.stop();
    },
  };
}

/** Wait until every player has answered both priming requests, so measurements see steady state. */
export async function untilPrimed(players: Pick<YotoPlayers, "list">, count: number): Promise<void> {
  const primed = () => players.list().filter((p) => p.volume.level !== undefined && p.battery !== undefined).length;
  while (primed() < count) await sleep(10);
}

export function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export function latencyRow(name: string, samples: number[]): Record<string, string | number> {
  return {
    path: name,
    events: samples.length,
    p50_ms: quantile(samples, 0.5).toFixed(2),
    p99_ms: quantile(samples, 0.99).toFixed(2),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What the end-to-end benchmarks build the service with. */
export interface BenchAppOptions {
  root: string;
  mediaDirs: string[];
  rulesDir?: string;
  ffmpegPath?: string;
  lamePath?: string;
  /** The UPnP renderers (default on, as the service ships). */
  upnp?: boolean;
  /** An assistant's MCP rate: a latency bench calling one after another raises it past the shipped 10 a second. */
  mcpRate?: {perSecond: number; burst: number};
}

/**
 * The whole service on a fresh simulator, on free loopback ports, linking to its own audio
 * listener: what the end-to-end benchmarks (stories, announcements, the panel) measure.
 */
export async function simulatedApp(
  opts: BenchAppOptions & {speed?: number},
): Promise<{app: App; sim: YotoSimulator; stop(): Promise<void>}> {
  const sim = new YotoSimulator({speed: opts.speed});
  await sim.start();
  const app = benchApp(opts, sim.endpoints);
  await app.start();
  return {
    app,
    sim,
    stop: async () => {
      await app.stop();
      await sim.stop();
    },
  };
}

/** The service as the end-to-end benchmarks run it, on the (simulated) cloud at `cloud`; not started. */
export function benchApp(opts: BenchAppOptions, cloud: SimEndpoints): App {
  return new App({
    config: {
      ...defaultConfig(false),
      data_dir: path.join(opts.root, "data"),
      media_dirs: opts.mediaDirs,
      rules_dir: opts.rulesDir ?? path.join(opts.root, "rules"),
      audio_port: 0,
      ingress_port: 0,
      embedded_broker_port: 0,
      // The renderers on free ports too: 8098 or SSDP's 1900 may be taken on the bench's machine.
      upnp: opts.upnp ?? true,
      upnp_port: 0,
      ssdp_port: 0,
      yoto_client_id: "bench",
      // One machine, as in the demo: the stand-in Home Assistant serving TTS is on loopback.
      fetch_allow: ["127.0.0.0/8", "::1"],
    },
    log: new Logger({level: "error"}),
    host: "127.0.0.1",
    ffmpegPath: opts.ffmpegPath,
    lamePath: opts.lamePath,
    linkToOwnAudioListener: true,
    cloud,
    ...(opts.mcpRate ? {mcpRate: opts.mcpRate} : {}),
  });
}

/**
 * In a bench child: the service on the (simulated) cloud whose endpoints are `endpointsJson`,
 * started, linked and with all `players` primed; SIGTERM stops it and exits.
 */
export async function startBenchService(opts: BenchAppOptions, endpointsJson: string, players: number): Promise<App> {
  const app = benchApp(opts, JSON.parse(endpointsJson) as SimEndpoints);
  await app.start();
  await linkThroughBrowser(app.account);
  await untilPrimed(app.players, players);
  process.on("SIGTERM", () => {
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  return app;
}

/** `count` cards on the simulated account, the first titled "Songs", the rest "Story number <n>" (one 10-minute track each). */
export function addFamilyCards(sim: Pick<YotoSimulator, "addCard">, count: number): void {
  for (let i = 0; i < count; i++)
    sim.addCard({
      cardId: `c${String(i).padStart(4, "0")}`,
      title: i === 0 ? "Songs" : `Story number ${i}`,
      content: {
        chapters: [
          {
            key: "01",
            title: "One",
            tracks: [{key: "01", title: "One", trackUrl: "yoto:#x", type: "audio", duration: 600}],
          },
        ],
      },
    });
}
