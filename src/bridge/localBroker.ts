import type {Config} from "../config/schema.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {type BrokerChoice, chooseBroker, type SupervisorAccess} from "./brokerChoice.js";
import {EmbeddedBroker} from "./embeddedBroker.js";

export interface BrokerConnection {
  url: string;
  username?: string;
  password?: string;
}

/** Picks the local broker at start (SPEC §6) and runs the embedded one when that is the choice. */
export class LocalBroker implements Service {
  readonly name = "mqtt-broker";
  readonly #config: Config;
  readonly #supervisor: SupervisorAccess;
  readonly #host: string;
  readonly #log: Logger;
  #choice?: BrokerChoice;
  #embedded?: EmbeddedBroker;

  constructor(config: Config, supervisor: SupervisorAccess, host: string, log: Logger) {
    this.#config = config;
    this.#supervisor = supervisor;
    this.#host = host;
    this.#log = log;
  }

  async start(): Promise<void> {
    this.#embedded = undefined;
    const choice = await chooseBroker(this.#config, this.#supervisor, this.#log);
    this.#choice = choice;
    if (choice.kind === "embedded") {
      const embedded = new EmbeddedBroker({
        host: this.#host,
        port: this.#config.embedded_broker_port,
        username: this.#config.embedded_broker_username,
        password: this.#config.embedded_broker_password,
        log: this.#log,
      });
      await embedded.start();
      this.#embedded = embedded;
    } else {
      this.#log.info(`Using the MQTT broker at ${choice.url} (${choice.reason})`);
    }
  }

  async stop(): Promise<void> {
    await this.#embedded?.stop();
    this.#embedded = undefined;
  }

  /** Where our own client connects; valid once started. */
  connection(): BrokerConnection {
    const choice = this.#choice;
    if (!choice) throw new Error("The local broker has not been chosen yet");
    if (choice.kind === "external") return {url: choice.url, username: choice.username, password: choice.password};
    // Never fall back to whatever else listens on the configured port.
    if (!this.#embedded) throw new Error("The embedded MQTT broker is not running (its start failed; see the log)");
    return {
      url: this.#embedded.url,
      username: this.#config.embedded_broker_username,
      password: this.#config.embedded_broker_password,
    };
  }

  health() {
    const choice = this.#choice;
    return {
      details: {
        kind: choice?.kind ?? "none",
        reason: choice?.reason ?? "",
        url: choice?.kind === "external" ? choice.url : (this.#embedded?.url ?? ""),
      },
    };
  }
}
