import {randomBytes} from "node:crypto";
import mqtt, {type IClientOptions, type MqttClient} from "mqtt";
import {type Backoff, backoffDelay} from "../core/backoff.js";
import {forEachLimited} from "../core/concurrency.js";
import {AppError, errorMessage} from "../core/errors.js";
import {joinCorkedWrites} from "../core/joinedWrites.js";
import type {Logger} from "../core/logger.js";
import {tokenExpiry} from "../core/tokenClaims.js";
import type {CloudConnectionState} from "../shared/api/account.js";
import type {TokenSource} from "./rest.js";
import {AUTHORIZER_USERNAME, commandTopic, deviceSubscriptions, type InboundKind, parseInbound} from "./topics.js";

export type {CloudConnectionState};

export interface CloudMqttOptions {
  url: string;
  tokens: TokenSource;
  log: Logger;
  onMessage: (deviceId: string, kind: InboundKind, payload: Buffer) => void;
  onState?: (state: CloudConnectionState) => void;
  /** Re-send `events/request` this often; the cloud goes quiet ~5 min after the last one. */
  heartbeatMs?: number;
  backoff?: Backoff;
  /** How long to wait for a device's events reply before asking for its status. */
  primeTimeoutMs?: number;
}

const DEFAULTS = {heartbeatMs: 4 * 60_000, primeTimeoutMs: 1500};

/**
 * The one connection to Yoto's cloud broker. AWS IoT is strict, so: a fresh alphanumeric client
 * id and a fresh token on every connect, exact per-device subscriptions at QoS 1, requests
 * serialised per device, a heartbeat that keeps events flowing, and our own reconnect loop with
 * backoff (mqtt.js's would reuse the expired token). Before the token expires a second
 * connection is made and primed, then the old one closed, so nothing falls in a gap.
 */
export class CloudMqtt {
  readonly #opts: CloudMqttOptions;
  readonly #devices = new Set<string>();
  readonly #primeWaiters = new Map<string, () => void>();
  #client?: MqttClient;
  #state: CloudConnectionState = "idle";
  #running = false;
  #attempt = 0;
  #retryTimer?: NodeJS.Timeout;
  #rolloverTimer?: NodeJS.Timeout;
  #heartbeat?: NodeJS.Timeout;
  readonly stats = {connects: 0, rollovers: 0, messages: 0, clientId: "", connectedAt: "", lastError: ""};

  constructor(opts: CloudMqttOptions) {
    this.#opts = opts;
  }

  get state(): CloudConnectionState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#client?.connected === true;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    this.#scheduleConnect(0);
    const every = this.#opts.heartbeatMs ?? DEFAULTS.heartbeatMs;
    this.#heartbeat = setInterval(() => this.#sendHeartbeat(), every);
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#rolloverTimer);
    clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = undefined;
    await client?.endAsync(true).catch(() => undefined);
    this.#setState("idle");
  }

  /** The devices to follow; new ones are subscribed and primed at once, removed ones dropped. */
  setDevices(ids: Iterable<string>): void {
    const next = new Set(ids);
    const added = [...next].filter((id) => !this.#devices.has(id));
    const removed = [...this.#devices].filter((id) => !next.has(id));
    for (const id of removed) this.#devices.delete(id);
    for (const id of added) this.#devices.add(id);
    const client = this.#client;
    if (!client?.connected) return;
    if (removed.length) client.unsubscribe(removed.flatMap(deviceSubscriptions));
    if (added.length) void this.#subscribeAndPrime(client, added).catch((err) => this.#warn("subscribing", err));
  }

  /** Publish a command at QoS 1; resolves once the broker has it (the player's ack is separate). */
  async publish(deviceId: string, command: string, payload: object | string = ""): Promise<void> {
    const client = this.#client;
    if (!client?.connected)
      throw new AppError(
        "cloud_offline",
        "Not connected to Yoto's cloud right now, so the command was not sent; it reconnects by itself, try again shortly",
        {status: 503},
      );
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    await client.publishAsync(commandTopic(deviceId, command), body, {qos: 1});
  }

  /** Drop the connection and connect again now (the bridge's "Reconnect to Yoto" button). */
  reconnect(): void {
    if (!this.#running) return;
    const client = this.#client;
    this.#client = undefined;
    this.#attempt = 0;
    void client?.endAsync(true).catch(() => undefined);
    this.#scheduleConnect(0);
  }

  /** Called when the account becomes usable again after a re-link. */
  resume(): void {
    if (this.#running && this.#state === "waiting_for_account") this.#scheduleConnect(0);
  }

  #scheduleConnect(delayMs: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#connect(), delayMs);
  }

  async #connect(): Promise<void> {
    if (!this.#running || this.#client?.connected) return;
    this.#setState(this.stats.connects === 0 ? "connecting" : "reconnecting");
    try {
      const client = await this.#open();
      if (!this.#running) {
        await client.endAsync(true);
        return;
      }
      this.#adopt(client);
      await this.#subscribeAndPrime(client, [...this.#devices]);
    } catch (err) {
      if (err instanceof AppError && (err.code === "needs_relink" || err.code === "not_linked")) {
        // No token to be had until someone re-links: wait for resume() instead of looping.
        this.#setState("waiting_for_account");
        return;
      }
      this.stats.lastError = errorMessage(err);
      const delay = this.#backoff();
      this.#opts.log.warning(`Cannot reach Yoto's cloud broker (${errorMessage(err)}); retrying in ${ms(delay)}`);
      this.#setState("reconnecting");
      this.#scheduleConnect(delay);
    }
  }

  /** A connected client with a fresh token and client id, or the reason it could not connect. */
  async #open(): Promise<MqttClient> {
    const token = await this.#opts.tokens.accessToken();
    const clientId = `YSS${randomBytes(10).toString("hex")}`;
    const options: IClientOptions = {
      username: AUTHORIZER_USERNAME,
      password: token,
      clientId,
      protocolVersion: 4,
      clean: true,
      keepalive: 60,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      resubscribe: false,
      // mqtt-packet otherwise pre-builds a Buffer for each of the 65,536 packet ids (6.5 MB of heap,
      // for the life of the process); the broker shares that module, so this spares it too.
      writeCache: false,
      // Connected below, once each packet goes out as one frame.
      manualConnect: true,
    };
    const client = mqtt.connect(this.#opts.url, options);
    client.on("error", () => {});
    client.connect();
    // One WebSocket frame per packet, not one per piece of it.
    joinCorkedWrites(client.stream);
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", (err) => {
        const code = (err as {code?: number}).code;
        // 4 bad user name or password, 5 not authorised: the token is no good, whatever its expiry says.
        if (code === 4 || code === 5) this.#opts.tokens.invalidate(token);
        reject(err);
      });
      client.once("close", () => reject(new Error("the broker closed the connection during the handshake")));
    }).catch(async (err) => {
      await client.endAsync(true).catch(() => undefined);
      throw err;
    });
    this.#scheduleRollover(client, token);
    return client;
  }

  /** Make `client` the live connection: route its messages, watch it close. */
  #adopt(client: MqttClient): void {
    const previous = this.#client;
    this.#client = client;
    this.#attempt = 0;
    this.stats.connects++;
    this.stats.clientId = client.options.clientId ?? "";
    this.stats.connectedAt = new Date().toISOString();
    client.on("message", (topic, payload) => this.#dispatch(topic, payload));
    client.on("close", () => this.#onClose(client));
    this.#setState("connected");
    if (previous) void previous.endAsync(true).catch(() => undefined);
  }

  #onClose(client: MqttClient): void {
    if (client !== this.#client || !this.#running) return;
    this.#client = undefined;
    clearTimeout(this.#rolloverTimer);
    const delay = this.#backoff();
    this.#opts.log.warning(`Lost the connection to Yoto's cloud broker; reconnecting in ${ms(delay)}`);
    this.#setState("reconnecting");
    this.#scheduleConnect(delay);
  }

  /** Subscribe, then per device `events/request` → its reply (or a timeout) → `status/request`. */
  async #subscribeAndPrime(client: MqttClient, deviceIds: string[]): Promise<void> {
    if (deviceIds.length === 0) return;
    const granted = await client.subscribeAsync(deviceIds.flatMap(deviceSubscriptions), {qos: 1});
    const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length) this.#opts.log.warning(`Yoto's broker refused ${refused.join(", ")}`);
    const timeout = this.#opts.primeTimeoutMs ?? DEFAULTS.primeTimeoutMs;
    await forEachLimited(deviceIds, 8, async (id) => {
      const replied = new Promise<void>((resolve) => {
        this.#primeWaiters.set(id, resolve);
        setTimeout(resolve, timeout).unref();
      });
      await client.publishAsync(commandTopic(id, "events/request"), "", {qos: 1});
      await replied;
      this.#primeWaiters.delete(id);
      await client.publishAsync(commandTopic(id, "status/request"), "", {qos: 1});
    });
  }

  #dispatch(topic: string, payload: Buffer): void {
    const inbound = parseInbound(topic);
    if (!inbound || !this.#devices.has(inbound.deviceId)) return;
    this.stats.messages++;
    if (inbound.kind === "events") this.#primeWaiters.get(inbound.deviceId)?.();
    try {
      this.#opts.onMessage(inbound.deviceId, inbound.kind, payload);
    } catch (err) {
      this.#warn(`handling '${topic}'`, err);
    }
  }

  #sendHeartbeat(): void {
    const client = this.#client;
    if (!client?.connected) return;
    for (const id of this.#devices)
      client
        .publishAsync(commandTopic(id, "events/request"), "", {qos: 1})
        .catch((err) => this.#warn("heartbeat", err));
  }

  /**
   * AWS IoT drops the socket when its token expires. A little before that, open and prime a second
   * connection with a new token, then let the old one go.
   */
  #scheduleRollover(client: MqttClient, token: string): void {
    const exp = tokenExpiry(token);
    if (!exp) return;
    const left = exp - Date.now();
    const lead = Math.min(120_000, left * 0.2);
    clearTimeout(this.#rolloverTimer);
    this.#rolloverTimer = setTimeout(
      async () => {
        if (client !== this.#client || !this.#running) return;
        try {
          this.#opts.tokens.invalidate(token);
          const next = await this.#open();
          if (!this.#running || client !== this.#client) {
            await next.endAsync(true);
            return;
          }
          this.#adopt(next);
          this.stats.rollovers++;
          await this.#subscribeAndPrime(next, [...this.#devices]);
        } catch (err) {
          this.#warn("renewing the connection before the token expires", err);
        }
      },
      Math.max(0, left - lead),
    );
  }

  #backoff(): number {
    return backoffDelay(this.#attempt++, this.#opts.backoff);
  }

  #setState(state: CloudConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#opts.onState?.(state);
  }

  #warn(what: string, err: unknown): void {
    this.#opts.log.warning(`Yoto cloud MQTT: failed ${what} (${errorMessage(err)})`);
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
}
