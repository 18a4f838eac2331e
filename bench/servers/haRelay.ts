// Baseline for the publish benchmark: the same two hops (Yoto's broker → a client → a local
// embedded broker) with nothing in between, forwarding each raw event, in its own process.
import mqtt from "mqtt";
import {Logger} from "../../src/core/logger.js";
import {AUTHORIZER_USERNAME} from "../../src/yoto/topics.js";
import {embeddedBroker, serveBrokerProtocol} from "./localBrokerChild.js";

// argv: work folder, Yoto's MQTT URL, an access token, the device ids (JSON), the topics per device
// (JSON), and how it publishes locally: "socket" (an MQTT client) or "in-process" (as the service does).
const [workDir, mqttUrl, token, idsJson, kindsJson, way] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const broker = await embeddedBroker(workDir, new Logger({level: "error"}));
const {url, publishInProcess, ...login} = broker.connection();
const local = await mqtt.connectAsync(url, {...login, protocolVersion: 4});
// As the service's own client does: without it Nagle's algorithm now and then holds messages for a delayed ACK.
(local.stream as {setNoDelay?: (on: boolean) => void}).setNoDelay?.(true);
const cloud = await mqtt.connectAsync(mqttUrl, {username: AUTHORIZER_USERNAME, password: token, protocolVersion: 4});
const kinds = JSON.parse(kindsJson) as string[];
await cloud.subscribeAsync(
  (JSON.parse(idsJson) as string[]).flatMap((id) => kinds.map((kind) => `device/${id}/${kind}`)),
  {qos: 1},
);
// Only data/events is forwarded; any other topic is received (as the service receives it) and dropped.
const forward =
  way === "in-process" && publishInProcess
    ? (topic: string, payload: Buffer) => publishInProcess(topic, payload, true, () => undefined)
    : (topic: string, payload: Buffer) => local.publish(topic, payload, {qos: 1, retain: true});
cloud.on("message", (topic, payload) => {
  if (topic.endsWith("/data/events")) forward(`relay/${topic.split("/")[1]}`, payload);
});
serveBrokerProtocol(broker.connection(), async () => {
  await cloud.endAsync(true);
  await local.endAsync(true);
  await broker.stop();
});
