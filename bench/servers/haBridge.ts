// The service's cloud → Home Assistant path in its own process, as it runs beside a real Yoto
// cloud: the cloud client, the player model, the bridge and the embedded broker. The simulator
// (Yoto's cloud) and the subscriber (Home Assistant) are in the bench process.

import {HaBridge} from "../../src/bridge/haBridge.js";
import {BridgeTopics} from "../../src/bridge/topics.js";
import {openGate} from "../../test/helpers/admitted.js";
import {linkedClient, type SimEndpoints, untilPrimed} from "../cloud.js";
import {embeddedBroker, serveBrokerProtocol} from "./localBrokerChild.js";

// argv: work folder, the simulator's endpoints (JSON), how many players to wait for.
const [workDir, endpoints, count] = process.argv.slice(2) as [string, string, string];
const {log, bus, account, players, stop} = await linkedClient(workDir, "ha", JSON.parse(endpoints) as SimEndpoints);
const broker = await embeddedBroker(workDir, log);
const bridge = new HaBridge({
  broker: () => broker.connection(),
  topics: new BridgeTopics("yoto", "homeassistant"),
  players: openGate(players),
  account,
  bus,
  log,
  version: "bench",
});
await bridge.start();
await players.start();
await untilPrimed(players, Number(count));
serveBrokerProtocol(broker.connection(), async () => {
  await players.stop();
  await bridge.stop();
  await broker.stop();
  await stop();
});
