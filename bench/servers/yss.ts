// The product's public audio listener, serving the same file through a signed URL.
import path from "node:path";
import {App} from "../../src/app/app.js";
import {loadConfig} from "../../src/config/load.js";
import {Logger} from "../../src/core/logger.js";
import {serveBenchProtocol} from "../lib.js";

// argv: media folder, data folder, and "stream" to serve all files as one stream instead of one
// file, or "streams" for one stream per folder (all of them served).
const [mediaDir, dataDir, what] = process.argv.slice(2) as [string, string, string | undefined];
const {config} = loadConfig({
  argv: [
    "--data_dir",
    dataDir,
    "--media_dirs",
    mediaDir,
    "--audio_port",
    "0",
    "--ingress_port",
    "0",
    "--log_level",
    "warning",
    // Its own empty rules folder, not the examples shipped in the repository.
    "--rules_dir",
    path.join(dataDir, "rules"),
  ],
  env: {},
  haOptionsPath: path.join(dataDir, "none.json"),
});
// Players are few; the benchmark client is one address making thousands of requests.
const app = new App({
  config,
  host: "127.0.0.1",
  log: new Logger({level: "warning"}),
  audioRateLimit: {burst: 1e9, perSecond: 1e9},
});
await app.start();
const items = app.library.list({limit: 1000}).items;
if (items.length === 0) throw new Error("bench: the sample files were not indexed");
let pathname = app.links.itemPath(items[0] as (typeof items)[0]);
const urls: string[] = [];
if (what === "streams") {
  const folders = new Map<string, string[]>();
  for (const item of items) {
    const folder = item.relPath.split("/")[0] as string;
    folders.set(folder, [...(folders.get(folder) ?? []), item.id]);
  }
  for (const [folder, ids] of folders) {
    const sorted = ids.sort((a, b) =>
      (app.library.get(a)?.relPath ?? "").localeCompare(app.library.get(b)?.relPath ?? ""),
    );
    await app.streams.replace(folder, sorted, "once");
    urls.push(`${app.audio.url}${app.links.signed(`/streams/${folder}.mp3`)}`);
  }
  pathname = `/streams/${[...folders.keys()][0]}.mp3`;
} else if (what === "stream") {
  await app.streams.replace(
    "bench",
    items.map((i) => i.id),
    "once",
  );
  pathname = "/streams/bench.mp3";
}
serveBenchProtocol(`${app.audio.url}${app.links.signed(pathname)}`, () => app.stop(), urls.length ? urls : undefined);
