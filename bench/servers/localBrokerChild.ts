// The embedded broker of a bench child, and the child's side of the bench protocol: it reports the
// broker's connection when ready and stops on SIGTERM.
import {type BrokerConnection, LocalBroker} from "../../src/broker/localBroker.js";
import {defaultConfig} from "../../src/config/schema.js";
import type {Logger} from "../../src/core/logger.js";

export async function embeddedBroker(workDir: string, log: Logger): Promise<LocalBroker> {
  // The broker keeps its generated login in the data folder: the bench's, not the cwd's.
  const config = {...defaultConfig(false), mqtt_mode: "embedded" as const, embedded_broker_port: 0, data_dir: workDir};
  const broker = new LocalBroker(config, {url: "http://supervisor"}, "127.0.0.1", log);
  await broker.start();
  return broker;
}

export function serveBrokerProtocol(connection: BrokerConnection, stop: () => Promise<void>): void {
  // Where the bench's clients connect; the in-process way in stays in this process.
  const {url, username, password} = connection;
  process.send?.({broker: {url, username, password}});
  // CPU seconds so far (user + system), asked before and after a measured stretch.
  process.on("message", (m: {cmd?: string}) => {
    if (m.cmd !== "cpu") return;
    const {user, system} = process.cpuUsage();
    process.send?.({cpu: (user + system) / 1e6});
  });
  process.on("SIGTERM", () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
