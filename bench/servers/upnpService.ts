// The service for the UPnP renderer bench in a process of its own, as it runs beside real players and
// control points: the simulator (Yoto's cloud and the players) and the control point are in the bench
// process, so their work is not counted as the service's.
import {startBenchService} from "../cloud.js";

// argv: work folder, media folder, the simulator's endpoints (JSON), how many players to wait for,
// and "true" or "false" for the renderers (the option `upnp`).
const [root, media, endpoints, count, upnp] = process.argv.slice(2).map(String) as [
  string,
  string,
  string,
  string,
  string,
];
const app = await startBenchService({root, mediaDirs: [media], upnp: upnp === "true"}, endpoints, Number(count));
const {url, username, password} = app.broker.connection();
process.send?.({
  ready: {
    upnpPort: app.upnp.port,
    adminUrl: app.admin.url,
    broker: {url, username, password},
    renderers: app.players.list().filter((p) => app.upnp.renderer(p.id) !== undefined).length,
  },
});
