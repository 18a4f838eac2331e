import {type ChildProcess, spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {writeFile} from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import mqtt, {type MqttClient} from "mqtt";
import {atFileEnd} from "./fileEnd.js";
import {freePort} from "./ports.js";
import {tempDir} from "./tmp.js";

export {freePort};

export interface Seen {
  topic: string;
  payload: string;
  retain: boolean;
}

export interface BrokerAddress {
  url: string;
  username?: string;
  password?: string;
}

/**
 * A plain MQTT client that records everything under `patterns`; `last(topic)` is the newest payload.
 * `broker` is a URL, or an address with its login (the embedded broker takes no anonymous clients).
 */
export async function watchBroker(
  broker: string | BrokerAddress,
  patterns: string[],
  opts: {username?: string; password?: string} = {},
) {
  const {url, ...login} = typeof broker === "string" ? {url: broker} : broker;
  const client: MqttClient = await mqtt.connectAsync(url, {
    ...login,
    ...opts,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  const seen: Seen[] = [];
  client.on("message", (topic, payload, packet) =>
    seen.push({topic, payload: payload.toString(), retain: packet.retain}),
  );
  await client.subscribeAsync(patterns, {qos: 1});
  const last = (topic: string): string | undefined => seen.findLast((m) => m.topic === topic)?.payload;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the bridge published
  const lastJson = (topic: string): any => {
    const text = last(topic);
    return text ? JSON.parse(text) : undefined;
  };
  /**
   * Resolves once the service has answered a health check sent now: it reads its messages in order,
   * so by then it has handled everything this client sent before. How a test shows that a message
   * changed nothing, without waiting a while to see. Needs `<base>/bridge/response/#` in `patterns`
   * (the health answer is looked for among what this client saw).
   */
  let marks = 0;
  const handledSoFar = async (base = "yoto"): Promise<void> => {
    const transaction = `handled-so-far-${++marks}`;
    await client.publishAsync(`${base}/bridge/request/health_check`, JSON.stringify({transaction}));
    const answered = () =>
      seen.some((m) => m.topic === `${base}/bridge/response/health_check` && m.payload.includes(`"${transaction}"`));
    const deadline = Date.now() + 10_000;
    while (!answered()) {
      if (Date.now() > deadline) throw new Error(`no answer to health check '${transaction}' within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return {client, seen, last, lastJson, handledSoFar, close: () => client.endAsync(true)};
}

const MOSQUITTO = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto"].find(existsSync);

/** Mosquitto from the system packages on a free loopback port, anonymous, no persistence. */
export async function startMosquitto(port?: number): Promise<{url: string; port: number; stop(): Promise<void>}> {
  if (!MOSQUITTO) throw new Error("mosquitto is not installed: apt-get install mosquitto (.ci/run does)");
  const chosen = port ?? (await freePort());
  const conf = path.join(await tempDir("yss-mosq-"), "mosquitto.conf");
  await writeFile(conf, `listener ${chosen} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child: ChildProcess = spawn(MOSQUITTO, ["-c", conf], {stdio: "ignore"});
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  // Stopped with the test file even when the test that started it failed first.
  atFileEnd(stop);
  const url = `mqtt://127.0.0.1:${chosen}`;
  let listening = false;
  // Until it listens or exits (a port taken): a busy machine may take seconds to start it.
  for (let i = 0; i < 400 && !listening && child.exitCode === null; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(chosen, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    listening = ok;
    if (!ok) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!listening) {
    await stop();
    throw new Error(
      child.exitCode !== null
        ? `Mosquitto exited (code ${child.exitCode}) before it listened on 127.0.0.1:${chosen}`
        : `Mosquitto did not listen on 127.0.0.1:${chosen} within 20 s`,
    );
  }
  return {url, port: chosen, stop};
}
