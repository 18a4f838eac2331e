import {type ChildProcess, spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {writeFile} from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import mqtt, {type MqttClient} from "mqtt";
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
  return {client, seen, last, lastJson, close: () => client.endAsync(true)};
}

const MOSQUITTO = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto"].find(existsSync);

/** Mosquitto from the system packages on a free loopback port, anonymous, no persistence. */
export async function startMosquitto(port?: number): Promise<{url: string; port: number; stop(): Promise<void>}> {
  if (!MOSQUITTO) throw new Error("mosquitto is not installed: apt-get install mosquitto (.ci/run does)");
  const chosen = port ?? (await freePort());
  const conf = path.join(await tempDir("yss-mosq-"), "mosquitto.conf");
  await writeFile(conf, `listener ${chosen} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child: ChildProcess = spawn(MOSQUITTO, ["-c", conf], {stdio: "ignore"});
  const url = `mqtt://127.0.0.1:${chosen}`;
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(chosen, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    port: chosen,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
