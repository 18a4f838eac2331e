// The whole service as it runs in production (compiled, with the add-on's Node flags), in the README's idle scenario,
// linked to a simulator run by the bench process. Reports when it is ready (ms since this process
// began) and its RSS then; answers {cmd: "rss"}. JavaScript, so no loader adds to its memory.
import path from "node:path";
import {App} from "../../dist/app/app.js";
import {loadConfig} from "../../dist/config/load.js";
import {Logger} from "../../dist/core/logger.js";
import {linkThroughBrowser} from "../../dist/sim/browser.js";

const [dataDir, mediaDir, rulesDir, endpointsJson] = process.argv.slice(2);
const {config} = loadConfig({
  argv: [
    ...["--data_dir", dataDir, "--media_dirs", mediaDir, "--rules_dir", rulesDir],
    ...[
      "--audio_port",
      "0",
      "--ingress_port",
      "0",
      "--embedded_broker_port",
      "0",
      "--upnp_port",
      "0",
      "--ssdp_port",
      "0",
    ],
    ...["--log_level", "warning", "--yoto_client_id", "bench"],
  ],
  env: {},
  haOptionsPath: path.join(dataDir, "none.json"),
});
const app = new App({config, host: "127.0.0.1", log: new Logger({level: "warning"}), cloud: JSON.parse(endpointsJson)});
await app.start();
if (app.account.status().state !== "linked") await linkThroughBrowser(app.account);
process.send({ready: {ms: performance.now(), rss: process.memoryUsage().rss}});
process.on("message", (m) => {
  if (m.cmd !== "rss") return;
  process.send({
    rss: {
      rss: process.memoryUsage().rss,
      heapUsed: process.memoryUsage().heapUsed,
      players: app.players.list().length,
      items: app.library.list({limit: 1}).total,
      rules: app.rules.list().length,
    },
  });
});
process.on("SIGTERM", () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
