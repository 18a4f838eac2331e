// The product's public audio listener, serving the same file through a signed URL.
import path from "node:path";
import {App} from "../../src/app.js";
import {loadConfig} from "../../src/config/load.js";
import {Logger} from "../../src/core/logger.js";
import {serveBenchProtocol} from "../lib.js";

const [mediaDir, dataDir] = process.argv.slice(2) as [string, string];
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
const item = app.library.list().items[0];
if (!item) throw new Error("bench: the sample file was not indexed");
serveBenchProtocol(`${app.audio.url}${app.links.signed(app.links.itemPath(item))}`, () => app.stop());
