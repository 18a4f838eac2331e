import path from "node:path";
import type {Config} from "../config/schema.js";
import type {ConnectionCaps} from "../core/connectionGuard.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {BrokerSummary} from "../shared/api/mqtt.js";
import {type BrokerChoice, chooseBroker, type SupervisorAccess} from "./choice.js";
import {EmbeddedBroker} from "./embeddedBroker.js";
import {type ClientLogin, clientLogin} from "./login.js";

export type {BrokerSummary};

export interface BrokerConnection {
  url: string;
  username?: string;
  password?: string;
  /** The embedded broker cuts off a client sending more in one packet: ours must not. */
  maxPacketBytes?: number;
  /** The embedded broker only: our client's messages go straight in (EmbeddedBroker.publishOwn). */
  publishInProcess?: InProcessPublish;
}

export type InProcessPublish = (topic: string, payload: Buffer, retain: boolean, done: (err?: Error) => void) => void;

/** Picks the local broker at start (docs/home-assistant-mqtt.md, "MQTT and Home Assistant entities") and runs the embedded one when that is the choice. */
export class LocalBroker implements Service {
  readonly name = "mqtt-broker";
  readonly #config: Config;
  readonly #supervisor: SupervisorAccess;
  readonly #host: string;
  readonly #log: Logger;
  #choice?: BrokerChoice;
  #embedded?: EmbeddedBroker;
  #login?: ClientLogin;
  readonly #connections: ConnectionCaps | undefined;

  constructor(config: Config, supervisor: SupervisorAccess, host: string, log: Logger, connections?: ConnectionCaps) {
    this.#config = config;
    this.#supervisor = supervisor;
    this.#host = host;
    this.#log = log;
    this.#connections = connections;
  }

  async start(): Promise<void> {
    this.#embedded = undefined;
    this.#login = undefined;
    const choice = await chooseBroker(this.#config, this.#supervisor, this.#log);
    this.#choice = choice;
    if (choice.kind === "embedded") {
      const login = await clientLogin(
        {username: this.#config.embedded_broker_username, password: this.#config.embedded_broker_password},
        path.resolve(this.#config.data_dir),
        this.#log,
      );
      const embedded = new EmbeddedBroker({
        host: this.#host,
        port: this.#config.embedded_broker_port,
        login,
        log: this.#log,
        ...(this.#connections ? {connections: this.#connections} : {}),
      });
      await embedded.start();
      this.#embedded = embedded;
      this.#login = login;
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
    const embedded = this.#embedded;
    return {
      url: embedded.url,
      ...embedded.serviceLogin,
      maxPacketBytes: embedded.maxPacketBytes,
      publishInProcess: (topic, payload, retain, done) => embedded.publishOwn(topic, payload, retain, done),
    };
  }

  /** For the panel: which broker, and how Home Assistant's MQTT integration logs in to ours. */
  summary(): BrokerSummary {
    const choice = this.#choice;
    const kind = choice?.kind ?? "none";
    const reason = choice?.reason ?? "";
    const url = choice?.kind === "external" ? choice.url : (this.#embedded?.url ?? "");
    const login = this.#login;
    if (!this.#embedded || !login) return {kind, reason, url};
    const port = Number(new URL(url).port);
    const shown = login.source === "generated" ? {password: login.password} : {};
    return {kind, reason, url, port, login: {username: login.username, ...shown, source: login.source}};
  }

  health() {
    const {kind, reason, url} = this.summary();
    // Clients connected and what is retained: how the embedded broker's limits are doing.
    const embedded = this.#embedded?.health().details;
    return {
      details: {kind, reason, url, ...(embedded ? {clients: embedded.clients, retained: embedded.retained} : {})},
    };
  }
}
