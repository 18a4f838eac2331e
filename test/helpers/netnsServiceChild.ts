// The whole service, with its simulated Yoto cloud beside it, as a machine of its own on a home
// network: run inside a network namespace (`ip netns exec`), it announces its renderers on every
// interface there (network scope, SSDP on the standard port 1900) as a plain install does. No
// test helpers here: they load vitest, which only runs inside the test runner.

import path from "node:path";
import {App} from "../../src/app/app.js";
import {loadConfig} from "../../src/config/load.js";
import {Logger} from "../../src/core/logger.js";
import {linkThroughBrowser} from "../../src/sim/browser.js";
import {YotoSimulator} from "../../src/sim/simulator.js";

const [dataDir, mediaDir, clientId] = process.argv.slice(2) as [string, string, string];
// The cloud stays on the namespace's loopback: only the renderers face the other "machine".
const sim = new YotoSimulator({host: "127.0.0.1", port: 0});
await sim.start();
const {config} = loadConfig({
  argv: [
    ...["--data_dir", dataDir, "--media_dirs", mediaDir, "--rules_dir", path.join(dataDir, "..", "rules")],
    ...["--audio_port", "0", "--ingress_port", "0", "--embedded_broker_port", "0", "--upnp_port", "0"],
    ...["--ssdp_port", "1900", "--yoto_client_id", clientId],
  ],
  env: {},
  haOptionsPath: path.join(dataDir, "no-options.json"),
});
const app = new App({
  config,
  log: new Logger({level: "error"}),
  // Every address of the namespace: the renderers' listener must answer on its veth address.
  host: "0.0.0.0",
  version: "test",
  cloud: sim.endpoints,
  ssdpScope: "network",
  linkToOwnAudioListener: true,
});
await app.start();
await linkThroughBrowser(app.account);
const stop = async () => {
  await app.stop();
  await sim.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
const players = [...sim.players.keys()];
process.stdout.write(`ready ${JSON.stringify({players})}\n`);
