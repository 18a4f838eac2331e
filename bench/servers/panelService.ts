// The service for the panel bench in a process of its own, as it runs in the add-on: the browser
// driver and the simulator (Yoto's cloud) are in the bench process, so the driver's work while a
// page loads does not hold up the service's answers to that page.
import {linkThroughBrowser} from "../../src/sim/browser.js";
import {benchApp, type SimEndpoints, untilPrimed} from "../cloud.js";

// argv: work folder, the simulator's endpoints (JSON), how many players to wait for.
const [root, endpoints, count] = process.argv.slice(2).map(String) as [string, string, string];
const app = benchApp({root, mediaDirs: []}, JSON.parse(endpoints) as SimEndpoints);
await app.start();
await linkThroughBrowser(app.account);
await untilPrimed(app.players, Number(count));
process.send?.({ready: {url: app.admin.url}});
process.on("SIGTERM", () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
