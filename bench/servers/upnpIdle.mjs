// The whole service as it runs in production (compiled, with the add-on's Node flags) for the UPnP
// renderers' idle memory, with the renderers on (`--upnp true`) or off; linked to a simulator run by
// the bench process. JavaScript, so no loader adds to its memory. Answers {ready} once every player is
// known, and {rss} (after a full collection) when asked.
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import {App} from "../../dist/app/app.js";
import {loadConfig} from "../../dist/config/load.js";
import {Logger} from "../../dist/core/logger.js";
import {linkThroughBrowser} from "../../dist/sim/browser.js";

const [dataDir, mediaDir, endpointsJson, count, upnp] = process.argv.slice(2);
const {config} = loadConfig({
  argv: [
    ...["--data_dir", dataDir, "--media_dirs", mediaDir, "--rules_dir", path.join(dataDir, "rules")],
    ...["--audio_port", "0", "--ingress_port", "0", "--embedded_broker_port", "0"],
    ...["--upnp", upnp, "--upnp_port", "0", "--ssdp_port", "0"],
    ...["--log_level", "warning", "--yoto_client_id", "bench"],
  ],
  env: {},
  haOptionsPath: path.join(dataDir, "none.json"),
});
const app = new App({config, host: "127.0.0.1", log: new Logger({level: "warning"}), cloud: JSON.parse(endpointsJson)});
await app.start();
if (app.account.status().state !== "linked") await linkThroughBrowser(app.account);
const primed = () => app.players.list().filter((p) => p.volume.level !== undefined && p.battery !== undefined).length;
while (primed() < Number(count)) await new Promise((r) => setTimeout(r, 10));
process.send({
  ready: {
    upnpPort: app.upnp.port,
    renderers: app.players.list().filter((p) => app.upnp.renderer(p.id) !== undefined).length,
  },
});
// A full collection before each reading: what is left is what the service holds, not where the
// collector happened to be.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
process.on("message", (m) => {
  if (m.cmd !== "rss") return;
  gc();
  const memory = process.memoryUsage();
  process.send({
    rss: {rss: memory.rss, heapUsed: memory.heapUsed, subscriptions: app.upnp.health().details.subscribers},
  });
});
process.on("SIGTERM", () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
