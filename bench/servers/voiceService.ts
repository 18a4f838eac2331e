// The service for the voice bench in a process of its own, linked to the simulated cloud in another:
// the benchmark's MQTT client (Home Assistant's side) times requests from a third. Mia's Yoto is the
// demo's second player, Ben's the first.
import {startBenchService} from "../cloud.js";

// argv: work folder, the simulator's endpoints (JSON), how many players to wait for, Mia's and Ben's player ids.
const [root, endpoints, count, mia, ben] = process.argv.slice(2).map(String) as [
  string,
  string,
  string,
  string,
  string,
];
const app = await startBenchService({root, mediaDirs: [`${root}/media`], upnp: false}, endpoints, Number(count));
await app.family.put("Mia", {players: [mia]});
await app.family.put("Ben", {players: [ben]});
const {url, username, password} = app.broker.connection();
process.send?.({ready: {broker: {url, username, password}}});
