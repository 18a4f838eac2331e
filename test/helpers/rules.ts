import {cp, mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {EventBus} from "../../src/core/events.js";
import {Logger} from "../../src/core/logger.js";
import {OpenFiles} from "../../src/files/openFiles.js";
import {Library} from "../../src/library/library.js";
import {RuleEngine, type RuleEngineOptions} from "../../src/rules/engine.js";
import type {RuleServices} from "../../src/rules/types.js";
import {Store} from "../../src/store/store.js";
import {StoryFiles} from "../../src/stories/index.js";
import {Streams} from "../../src/streams/streams.js";
import {tempDir} from "./tmp.js";

/** A rule engine over real streams (empty library) and a real store, with its log captured. */
export async function startEngine(
  files: Record<string, string>,
  opts: Omit<Partial<RuleEngineOptions>, "services"> & {services?: Partial<RuleServices>; from?: string} = {},
) {
  const root = await tempDir("yss-rules-");
  const rulesDir = path.join(root, "rules");
  await mkdir(rulesDir, {recursive: true});
  if (opts.from) await cp(opts.from, rulesDir, {recursive: true});
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(rulesDir, name)), {recursive: true});
    await writeFile(path.join(rulesDir, name), text);
  }
  const lines: string[] = [];
  const log = new Logger({level: "debug", sink: (line) => lines.push(line)});
  const store = new Store(path.join(root, "data"), log);
  await store.start();
  const bus = new EventBus(log);
  const library = new Library({
    mediaDirs: [path.join(root, "media")],
    uploadsDir: path.join(root, "data", "uploads"),
    store,
    bus,
    log,
  });
  await library.start();
  const openFiles = new OpenFiles(bus, log);
  await openFiles.start();
  const streams = new Streams({store, library, files: openFiles, bus, log});
  await streams.start();
  const {services: extra, from: _from, ...rest} = opts;
  const services: RuleServices = {streams, log, ...extra};
  // Story files are read with the rules, as the service reads them (stories keep their own).
  const storyFiles = new StoryFiles(streams);
  const documents = [storyFiles, ...(rest.documents ?? [])];
  const engine = new RuleEngine({rulesDir, store, bus, log, services, timeZone: "Europe/London", ...rest, documents});
  await engine.start();
  return {
    engine,
    storyFiles,
    bus,
    streams,
    lines,
    rulesDir,
    store,
    async stop() {
      await engine.stop();
      await streams.stop();
      await openFiles.stop();
      await library.stop();
      await store.stop();
    },
  };
}
