import path from "node:path";
import {App, type AppOptions} from "../../src/app/app.js";
import {loadConfig} from "../../src/config/load.js";
import {Logger} from "../../src/core/logger.js";
import {ffmpegPath} from "./audio.js";
import {atFileEnd} from "./fileEnd.js";
import {FREE_PORT_FLAGS} from "./freePorts.js";
import {tempDir} from "./tmp.js";

export interface TestApp {
  app: App;
  dataDir: string;
  mediaDir: string;
  /** Every log line written so far. */
  logs: string[];
  adminUrl: string;
  audioUrl: string;
  stop(): Promise<void>;
}

/**
 * A real App on free loopback ports with a temp data folder. `flags` are the same option flags the
 * CLI takes, so tests go through the real config loader.
 */
export async function startApp(
  flags: string[] = [],
  options: Partial<AppOptions> & {dataDir?: string; mediaDir?: string} = {},
): Promise<TestApp> {
  const root = options.dataDir && options.mediaDir ? "" : await tempDir("yss-app-");
  // Never the repository's own rules folder: each test app gets its own (next to its data).
  const dataDir = options.dataDir ?? path.join(root, "data");
  const mediaDir = options.mediaDir ?? path.join(root, "media");
  const {config} = loadConfig({
    argv: [
      "--data_dir",
      dataDir,
      "--media_dirs",
      mediaDir,
      ...FREE_PORT_FLAGS,
      "--rules_dir",
      path.join(dataDir, "..", "rules"),
      // Tests serve media and feeds on loopback, as the demo does; the fetch policy's own tests pass
      // their own --fetch_allow (the last flag wins).
      "--fetch_allow",
      "127.0.0.1,::1",
      // No SSDP search from every test's service: the discovery tests turn it on and answer it.
      "--media_discovery",
      "false",
      ...flags,
    ],
    env: {},
    haOptionsPath: path.join(dataDir, "no-options.json"),
  });
  const logs: string[] = [];
  const log = new Logger({level: "debug", sink: (line) => logs.push(line)});
  const app = new App({config, log, host: "127.0.0.1", ffmpegPath, version: "test", ...options});
  // Stopped with the test file even when the test that started it failed first (stopping twice is a no-op).
  atFileEnd(() => app.stop());
  await app.start();
  return {
    app,
    dataDir,
    mediaDir,
    logs,
    adminUrl: app.admin.url,
    audioUrl: app.audio.url,
    stop: () => app.stop(),
  };
}
