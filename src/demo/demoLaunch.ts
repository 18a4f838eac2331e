import path from "node:path";
import type {App} from "../app/app.js";
import type {LoadedConfig} from "../config/load.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {streamPath} from "../links/audioPaths.js";
import {PACKAGE_ROOT} from "../paths.js";
import type {YotoSimulator} from "../sim/simulator.js";
import {type DemoPorts, demoListenError} from "./demoPorts.js";

/** The demo plays every sample track as this stream. */
export const DEMO_STREAM = "demo";
const DEMO_RADIO = "demo-radio";

/** The demo's parts (the simulator, sample audio), loaded only for the demo: `start` never needs them. */
async function loadDemoKit() {
  const [cloud, sampleAudio, storyAudio, station, hands, simulator] = await Promise.all([
    import("./cloud.js"),
    import("./sampleAudio.js"),
    import("./storyAudio.js"),
    import("./demoStation.js"),
    import("../sim/hands.js"),
    import("../sim/simulator.js"),
  ]);
  return {...cloud, ...sampleAudio, ...storyAudio, ...station, ...hands, ...simulator};
}
type DemoKit = Awaited<ReturnType<typeof loadDemoKit>>;

/** What the demo runs beside the service, from before it starts until after it stops. */
export interface RunningDemo {
  kit: DemoKit;
  sim: YotoSimulator;
  /** Once the service runs: the demo stream and radio, the simulated account linked, and the story card (its id). */
  afterStart(app: App): Promise<string | undefined>;
  stop(): Promise<void>;
}

/**
 * Everything the demo needs before the service starts: the Yoto cloud simulator, the sample audio
 * and story narration, the radio station; the options set to use them (unless given).
 */
export async function startDemo(
  loaded: LoadedConfig,
  ports: DemoPorts,
  ffmpegPath: string | undefined,
  log: Logger,
): Promise<RunningDemo> {
  const kit = await loadDemoKit();
  const {config} = loaded;
  // The demo's state (its simulated login, streams, cards) stays out of the real service's.
  if (!loaded.origins.data_dir) config.data_dir = "./demo-data";
  const simPort = ports.sim ?? 0;
  const sim = new kit.YotoSimulator({log: log.child("simulator"), port: simPort});
  await sim.start().catch((err) => {
    throw demoListenError(err, "Yoto cloud simulator", "sim_port", simPort);
  });
  config.yoto_client_id ??= kit.DEMO_CLIENT_ID;
  if (!ffmpegPath)
    throw new Error("The demo generates its sample audio with ffmpeg: install ffmpeg or set FFMPEG_PATH");
  const mediaDir = path.resolve(config.data_dir, "demo-media");
  const created = await kit.ensureSampleAudio(mediaDir, ffmpegPath);
  if (created.length > 0) log.info(`Generated ${created.length} sample track(s) in '${mediaDir}'`);
  const story = await kit.ensureStoryAudio(mediaDir, ffmpegPath);
  if (story.created.length > 0) log.info(`Narrated ${story.created.length} story scene(s) (voice: ${story.voice})`);
  if (!loaded.origins.media_dirs) config.media_dirs = [mediaDir];
  const station = await startDemoStation(kit, mediaDir, ports.radio ?? 0);
  // The demo runs the example rules shipped with the package.
  if (!loaded.origins.rules_dir) config.rules_dir = path.join(PACKAGE_ROOT, "rules");
  // The demo's simulator, feeds and media are all on this machine: loopback may be fetched.
  config.fetch_allow = [...config.fetch_allow, "127.0.0.0/8", "::1"];
  log.info("Demo: announcement media and feeds may be fetched from this machine (loopback), as everything runs on it");
  return {
    kit,
    sim,
    afterStart: async (app) => {
      await ensureDemoStream(app, log);
      await ensureDemoRadio(app, station.url, log);
      await kit.linkDemoCloud(app, sim, demoStreamUrl(app), log);
      return kit.ensureDemoStoryCard(app, sim).catch((err) => {
        log.warning(`The demo story card could not be made (${errorMessage(err)})`);
        return undefined;
      });
    },
    stop: async () => {
      await sim.stop();
      await station.stop();
    },
  };
}

function demoStreamUrl(app: App): string | undefined {
  if (!app.streams.has(DEMO_STREAM)) return undefined;
  const pathname = streamPath(DEMO_STREAM);
  return app.links.absolute(pathname) ?? undefined;
}

/** The demo plays every sample track as one stream; an existing demo stream is left as the user made it. */
async function ensureDemoStream(app: App, log: Logger): Promise<void> {
  if (app.streams.has(DEMO_STREAM)) return;
  const ids = app.library
    .list({limit: 1000})
    .items.filter((i) => i.mime === "audio/mpeg")
    .map((i) => i.id);
  await app.streams.replace(DEMO_STREAM, ids, "once");
  log.info(`Created stream '${DEMO_STREAM}' with ${ids.length} sample track(s)`);
}

/** The demo's own radio station on this machine: its songs change, so "now playing" does too. */
async function startDemoStation(kit: DemoKit, mediaDir: string, port: number) {
  const station = new kit.DemoStation();
  const url = await station.start(mediaDir, port).catch((err) => {
    throw demoListenError(err, "radio station", "radio_port", port);
  });
  return {url, stop: () => station.stop()};
}

/** A stream that plays the demo station; its port changes at each run, so the stream follows it. */
async function ensureDemoRadio(app: App, url: string, log: Logger): Promise<void> {
  try {
    await app.radio.setStation(DEMO_RADIO, url);
    log.info(`Stream '${DEMO_RADIO}' plays the demo radio station`);
  } catch (err) {
    log.warning(`The demo radio stream could not be set (${errorMessage(err)})`);
  }
}
