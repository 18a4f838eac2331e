// The whole service in a process of its own, as inspectedService.ts starts it: a test sees it exit
// if anything stops it, and counts its descriptors in /proc/<pid>/fd with nothing of the test's
// own among them. A test reaches in only through the few questions below (over the IPC channel):
// what a test in the same process would read from `app` directly. No test helpers here: they load
// vitest, which only runs inside the test runner.

import {App, type AppOptions} from "../../src/app/app.js";
import {loadConfig} from "../../src/config/load.js";
import {requireFfmpeg} from "../../src/core/ffmpeg.js";
import {Logger} from "../../src/core/logger.js";
import {ProcessGuard} from "../../src/core/processGuard.js";
import {linkThroughBrowser} from "../../src/sim/browser.js";
import type {CloudEndpoints} from "../../src/yoto/endpoints.js";

export interface ChildSetup {
  flags: string[];
  cloud: CloudEndpoints;
  /** App options that survive JSON (timings, limits). */
  app: Partial<Pick<AppOptions, "audioRateLimit" | "connectionsPerClient" | "radio" | "streams" | "stories">>;
}

/** What the test may ask: each answers from the running app. */
export type Question =
  | {ask: "signed"; path: string}
  | {ask: "memory"}
  | {ask: "openFiles"}
  | {ask: "resources"}
  | {ask: "relayClip"; player: string}
  | {ask: "renderer"; player: string}
  | {ask: "stop"};

const setup = JSON.parse(process.argv[2] as string) as ChildSetup;
const {config} = loadConfig({argv: setup.flags, env: {}, haOptionsPath: "/nonexistent/options.json"});
// Every line goes to the test, which reads what a client that left cost.
const log = new Logger({level: "debug", sink: (line) => process.stdout.write(`${line}\n`)});
const app = new App({
  config,
  log,
  host: "127.0.0.1",
  version: "test",
  ffmpegPath: requireFfmpeg().path,
  cloud: setup.cloud,
  linkToOwnAudioListener: true,
  ...setup.app,
});

// As the command line runs it: an error nobody caught is logged and stops the service.
new ProcessGuard({
  log,
  claim: (error, kind) => app.rules.claimUncaught(error, kind),
  onFatal: () => void app.stop().finally(() => process.exit(1)),
}).start();

const gc = (globalThis as {gc?: () => void}).gc;

function answer(q: Question): unknown {
  switch (q.ask) {
    case "signed":
      return app.links.signed(q.path);
    case "memory":
      // Twice: the first pass may only finalise what the second frees.
      gc?.();
      gc?.();
      // Buffers (a relayed chunk) live outside the heap: `arrayBuffers` counts them.
      return {...process.memoryUsage(), gc: gc !== undefined};
    case "openFiles":
      return app.files.health().details;
    case "resources": {
      // Timers, sockets, child processes and the rest Node is waiting on, counted by kind.
      const counts: Record<string, number> = {};
      for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
      return counts;
    }
    case "relayClip": {
      const clip = app.announcer.clipFor(q.player);
      return clip ? {live: clip.live !== undefined, feed: clip.feed !== undefined} : null;
    }
    case "renderer":
      return app.upnp.renderer(q.player) !== undefined && app.players.get(q.player).volume.level !== undefined;
    case "stop":
      void app.stop().then(() => process.exit(0));
      return true;
  }
}

process.on("message", (message: {id: number} & Question) => {
  let reply: {id: number; value?: unknown; error?: string};
  try {
    reply = {id: message.id, value: answer(message)};
  } catch (err) {
    reply = {id: message.id, error: String(err)};
  }
  process.send?.(reply);
});

await app.start();
await linkThroughBrowser(app.account);
process.send?.({ready: {admin: app.admin.url, audio: app.audio.url, upnpPort: app.upnp.port}});
