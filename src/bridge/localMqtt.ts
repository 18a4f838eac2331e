import mqtt, {type MqttClient} from "mqtt";
import type {BrokerConnection, InProcessPublish} from "../broker/localBroker.js";
import {type Backoff, backoffDelay} from "../core/backoff.js";
import {formatBytes} from "../core/bytes.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";

/** How long a caller waits for the broker to acknowledge new subscriptions (setExtraTopics). */
const SUBSCRIBE_WAIT_MS = 2000;

export interface LocalMqttOptions {
  /** Asked at every connect: the embedded broker's port is only known once it listens. */
  connection: () => BrokerConnection;
  /** `<base>/bridge/state`: the broker publishes `{"state":"offline"}` there if we vanish. */
  stateTopic: string;
  /** Asked at every connect: features may add theirs before the bridge starts. */
  topics: () => string[];
  onMessage: (topic: string, payload: Buffer) => void;
  /** Runs after every (re)connect, before anything else is published: republish everything. */
  onConnect: () => Promise<void> | void;
  log: Logger;
  backoff?: Backoff;
}

const ONLINE = JSON.stringify({state: "online"});
const OFFLINE = JSON.stringify({state: "offline"});

/**
 * Our client on the local broker (embedded or Home Assistant's): LWT on the bridge state, a
 * reconnect loop with backoff, subscriptions and a full republish after every connect, so a broker
 * that restarted without persistence gets everything back.
 */
export class LocalMqtt implements Service {
  readonly name = "mqtt-client";
  readonly #opts: LocalMqttOptions;
  #client?: MqttClient;
  #running = false;
  #attempt = 0;
  #timer?: NodeJS.Timeout;
  readonly stats = {connects: 0, published: 0, lastError: ""};
  /** Topics others (rule triggers) asked for, beyond the bridge's own. */
  #extra: string[] = [];
  #url = "";
  #maxPacketBytes = Number.POSITIVE_INFINITY;
  /** The embedded broker's way in, while our client is connected to it; else our client publishes. */
  #inProcess?: InProcessPublish;
  /** Our own online has come back since this connect: what arrived before it was older than it. */
  #onlineEchoed = false;

  constructor(opts: LocalMqttOptions) {
    this.#opts = opts;
  }

  get connected(): boolean {
    return this.#client?.connected === true;
  }

  /** Tries once; if the broker is not there yet, keeps trying in the background and starts anyway. */
  async start(): Promise<void> {
    this.#running = true;
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    if (client?.connected) {
      // A clean goodbye: the LWT only fires for unclean ones.
      await new Promise<void>((resolve) =>
        this.#send(client, this.#opts.stateTopic, Buffer.from(OFFLINE), true, () => resolve()),
      );
    }
    await client?.endAsync().catch(() => undefined);
  }

  health() {
    return {details: {url: this.#url, connected: this.connected, ...this.stats}};
  }

  /** Fire and forget at QoS 1; while disconnected it is dropped (the next connect republishes state). */
  publish(topic: string, payload: string | object, retain = false): void {
    const client = this.#client;
    if (!client?.connected) return;
    // Encoded once here: the size check and the packet use the same bytes.
    const body = Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload));
    // Topic, payload and a few header bytes: over the broker's limit it would cut us off, and every
    // entity would go unavailable over one message (a rule's, say).
    const size = Buffer.byteLength(topic) + body.length + 4;
    if (size > this.#maxPacketBytes) {
      const sizes = `${formatBytes(size)}, over the broker's limit of ${formatBytes(this.#maxPacketBytes)}`;
      this.#opts.log.warning(`Not publishing to '${topic}': the message is ${sizes}`);
      return;
    }
    this.stats.published++;
    this.#send(client, topic, body, retain, (err) => {
      if (err) this.#opts.log.debug(`Publishing to '${topic}' failed (${errorMessage(err)})`);
    });
  }

  /**
   * One way in for all we publish, so that it arrives in the order we published it. A callback,
   * not a promise: this runs for every state message.
   */
  #send(client: MqttClient, topic: string, body: Buffer, retain: boolean, done: (err?: Error) => void): void {
    if (this.#inProcess) this.#inProcess(topic, body, retain, done);
    else client.publish(topic, body, {qos: 1, retain}, done);
  }

  /** `{"state":"online"}` on the bridge state again, e.g. when Home Assistant comes back (birth). */
  announceOnline(): void {
    this.publish(this.#opts.stateTopic, ONLINE, true);
  }

  /**
   * Subscribe to more topics (now and after every reconnect); messages still arrive via onMessage.
   * Settles when the broker has acknowledged the new ones, or after SUBSCRIBE_WAIT_MS: a broker
   * that is slow or gone leaves them to the next connect, and never holds up the caller for long.
   */
  setExtraTopics(topics: string[]): Promise<void> {
    const client = this.#client;
    const removed = this.#extra.filter((t) => !topics.includes(t));
    const added = topics.filter((t) => !this.#extra.includes(t));
    this.#extra = [...topics];
    if (!client?.connected) return Promise.resolve();
    if (removed.length) client.unsubscribe(removed);
    if (!added.length) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const acknowledged = new Promise<void>((resolve) => {
      client.subscribe(added, {qos: 1}, (err) => {
        // Said plainly: a rule on such a topic does not fire until the next connect subscribes again.
        if (err) this.#opts.log.warning(`Subscribing to ${added.join(", ")} failed (${errorMessage(err)})`);
        resolve();
      });
    });
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
      timer.unref();
    });
    return Promise.race([acknowledged, waited]).finally(() => clearTimeout(timer));
  }

  async #connect(): Promise<void> {
    if (!this.#running) return;
    const {url, username, password, maxPacketBytes, publishInProcess} = this.#opts.connection();
    this.#url = url;
    this.#inProcess = publishInProcess;
    this.#maxPacketBytes = maxPacketBytes ?? Number.POSITIVE_INFINITY;
    const client = mqtt.connect(url, {
      username,
      password,
      clientId: `yoto-smart-stream-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      will: {topic: this.#opts.stateTopic, payload: Buffer.from(OFFLINE), qos: 1, retain: true},
      // No table of 65,536 pre-built packet-id Buffers (6.5 MB), as for the cloud client.
      writeCache: false,
    });
    client.on("error", () => {});
    try {
      await new Promise<void>((resolve, reject) => {
        client.once("connect", () => resolve());
        client.once("error", reject);
        client.once("close", () => reject(new Error("connection closed")));
      });
    } catch (err) {
      await client.endAsync(true).catch(() => undefined);
      this.stats.lastError = errorMessage(err);
      this.#retry(`Cannot connect to the MQTT broker at ${url} (${errorMessage(err)})`);
      return;
    }
    // Each state message at once, not held back by Nagle's algorithm behind the last one's ACK.
    (client.stream as {setNoDelay?: (on: boolean) => void}).setNoDelay?.(true);
    this.#client = client;
    this.#onlineEchoed = false;
    this.#attempt = 0;
    this.stats.connects++;
    client.on("message", (topic, payload) => {
      if (topic === this.#opts.stateTopic) this.#correctForgedState(payload);
      this.#opts.onMessage(topic, payload);
    });
    client.on("close", () => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.#retry(`Lost the connection to the MQTT broker at ${url}`);
    });
    // Our own state topic too: anything but online there while we run is stale or forged.
    await client.subscribeAsync([...this.#opts.topics(), this.#opts.stateTopic, ...this.#extra], {qos: 1});
    this.announceOnline();
    this.#opts.log.info(`Connected to the MQTT broker at ${url}`);
    await this.#opts.onConnect();
  }

  /**
   * Every entity's availability includes the bridge state, so a retained `offline` that someone else
   * (or a stale will) left there makes all of them unavailable. While connected we are online: say
   * so again. Our own clean stop drops the client before its goodbye, so that is never undone.
   */
  #correctForgedState(payload: Buffer): void {
    const text = payload.toString("utf8");
    if (text === ONLINE) this.#onlineEchoed = true;
    // Before our echo: the retained goodbye of an earlier run, which our online has replaced.
    if (text === ONLINE || !this.#onlineEchoed || !this.connected) return;
    this.#opts.log.warning(
      `Something else set '${this.#opts.stateTopic}' to '${text.slice(0, 200)}' while we run; publishing online again`,
    );
    this.announceOnline();
  }

  #retry(message: string): void {
    if (!this.#running) return;
    const delay = backoffDelay(this.#attempt++, this.#opts.backoff);
    this.#opts.log.warning(`${message}; retrying in ${(delay / 1000).toFixed(1)} s`);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }
}
