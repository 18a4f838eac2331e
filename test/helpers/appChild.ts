// The whole service in a separate process against a simulator the test runs, so a test can
// SIGKILL it at the worst moment and start it again on the same data folder. No test helpers
// here: they load vitest, which only runs inside the test runner.

import path from "node:path";
import {App} from "../../src/app/app.js";
import {loadConfig} from "../../src/config/load.js";
import {Logger} from "../../src/core/logger.js";
import {linkThroughBrowser} from "../../src/sim/browser.js";
import {FREE_PORT_FLAGS} from "./freePorts.js";

const [endpoints, dataDir, mediaDir, clientId] = process.argv.slice(2) as [string, string, string, string];
const {config} = loadConfig({
  argv: [
    ...["--data_dir", dataDir, "--media_dirs", mediaDir, "--rules_dir", path.join(dataDir, "..", "rules")],
    ...FREE_PORT_FLAGS,
    ...["--yoto_client_id", clientId, "--fetch_allow", "127.0.0.1,::1"],
  ],
  env: {},
  haOptionsPath: path.join(dataDir, "no-options.json"),
});
const app = new App({
  config,
  log: new Logger({level: "error"}),
  host: "127.0.0.1",
  version: "test",
  cloud: JSON.parse(endpoints),
  linkToOwnAudioListener: true,
});
await app.start();
await linkThroughBrowser(app.account);
process.stdout.write(`ready ${app.admin.url}\n`);
