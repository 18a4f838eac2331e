import net from "node:net";
import type {Duplex} from "node:stream";
import {Aedes, type AuthenticateError, type Client} from "aedes";
import {portTakenMessage} from "../core/address.js";
import {type ConnectionCaps, guardConnections} from "../core/connectionGuard.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {type BrokerLogin, matchesLogin, serviceLogin} from "./login.js";
import {DEFAULT_OFFLINE_LIMITS, type OfflineSessionLimits, OfflineSessions} from "./offlineSessions.js";
import {OwnMessages, SYS_PREFIX} from "./ownMessages.js";
import {sizeLimitedConnection} from "./packetSizeGuard.js";
import {RetainedBudget, type RetainedLimits} from "./retainedBudget.js";

export interface BrokerLimits extends RetainedLimits {
  /** The largest packet a client may send, in bytes. */
  maxPacketBytes: number;
}

/**
 * Generous for Home Assistant (a device's discovery with every entity is tens of KB) and small
 * enough that no client can take the service's memory: five 50 MB retained messages once did.
 */
export const DEFAULT_BROKER_LIMITS: BrokerLimits = {
  maxPacketBytes: 1024 * 1024,
  maxMessages: 10_000,
  maxBytes: 16 * 1024 * 1024,
};

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** What every other client logs in with; there is no anonymous access. */
  login: BrokerLogin;
  log: Logger;
  limits?: Partial<BrokerLimits>;
  /** Connections held open at once, in all and per address (see connectionGuard). */
  connections?: ConnectionCaps;
  /** What is kept for clients that are away (see offlineSessions); tests lower it. */
  offline?: Partial<OfflineSessionLimits>;
}

// A refusal is logged once per address and kind every few minutes: a client retrying a wrong
// password every few seconds must not fill the log. Bounded, so a scan from many addresses cannot
// grow the memory of it.
const REFUSAL_LOG_INTERVAL_MS = 10 * 60 * 1000;
const MAX_REMEMBERED_REFUSALS = 256;
const SEE_LOGIN = "the embedded broker takes no anonymous clients; use the login the panel shows";

type Refusal = "no login" | "bad login" | "packet" | "retained";

/**
 * The local broker when nobody else provides one: Aedes over TCP, MQTT 3.1.1 and 5 (Home Assistant's
 * MQTT integration speaks 5 and requires a broker that does; Aedes 2 is the first to). Every client logs in;
 * the service's own client with a login made for this run, which also lets its retained messages
 * (discovery, state) always fit. Packets and the retained store are bounded. Retained messages live
 * in memory; the bridge republishes everything it owns whenever it connects, so a restart loses
 * nothing Home Assistant needs.
 */
export class EmbeddedBroker implements Service {
  readonly name = "mqtt-broker";
  readonly #opts: EmbeddedBrokerOptions;
  readonly #limits: BrokerLimits;
  readonly #own = new WeakSet<Client>();
  readonly #addresses = new WeakMap<object, string>();
  /** `<address> <kind>` → when it was last logged. */
  readonly #refusalsLogged = new Map<string, number>();
  #budget: RetainedBudget;
  #offline?: OfflineSessions;
  #service?: BrokerLogin;
  #aedes?: Aedes;
  #ownMessages?: OwnMessages;
  #server?: net.Server;

  constructor(opts: EmbeddedBrokerOptions) {
    this.#opts = opts;
    this.#limits = {...DEFAULT_BROKER_LIMITS, ...opts.limits};
    this.#budget = new RetainedBudget(this.#limits);
  }

  async start(): Promise<void> {
    const service = serviceLogin();
    this.#opts.log.addSecret(service.password);
    this.#service = service;
    // A new Aedes starts with nothing retained.
    this.#budget = new RetainedBudget(this.#limits);
    const offlineLimits = {...DEFAULT_OFFLINE_LIMITS, ...this.#opts.offline};
    const offline = new OfflineSessions(offlineLimits, this.#opts.log);
    this.#offline = offline;
    const aedes = await Aedes.createBroker({
      sessionExpiryIntervalLimit: offlineLimits.maxSessionExpirySeconds,
      pendingSessionsLimit: offlineLimits.maxPendingSessions,
      authenticate: (client, username, password, done) => {
        if (matchesLogin(service, username, password)) {
          this.#own.add(client);
          return done(null, true);
        }
        if (matchesLogin(this.#opts.login, username, password)) return done(null, true);
        // 5 "not authorized" without a login at all, 4 "bad user name or password" with a wrong one.
        const [returnCode, kind, reason] =
          username === undefined
            ? ([5, "no login", "it sent no login"] as const)
            : ([4, "bad login", "wrong username or password"] as const);
        this.#refused(kind, client.conn, client.id, `refused, ${reason} (${SEE_LOGIN})`);
        done(Object.assign(new Error(reason), {returnCode}) as AuthenticateError, false);
      },
      authorizePublish: (client, packet, done) => {
        if (packet.topic.startsWith(SYS_PREFIX)) return done(new Error(`${SYS_PREFIX} topic is reserved`));
        if (!packet.retain) return done(null);
        const own = client !== null && this.#own.has(client);
        const refusal = this.#budget.admit(packet.topic, Buffer.byteLength(packet.payload), own);
        if (refusal) {
          // Delivered to those subscribed now, just not kept: MQTT 3.1.1 has no way to say "not
          // retained" (nor has a QoS 0 publish in 5), and cutting the client off would only have
          // it send the same again.
          packet.retain = false;
          const reason = `not keeping its retained message on '${packet.topic}': ${refusal}`;
          this.#refused("retained", client?.conn, client?.id, reason);
        }
        done(null);
      },
    });
    this.#aedes = aedes;
    this.#ownMessages = new OwnMessages(aedes, this.#budget);
    capOfflineQueues(aedes, offline);
    const server = net.createServer((socket) => {
      // Small packets at once: Nagle's algorithm held state messages back up to a delayed ACK
      // (tens of ms) behind the previous one (bench/haPublish.ts).
      socket.setNoDelay(true);
      const connection = sizeLimitedConnection(socket, this.#limits.maxPacketBytes, (error, conn) => {
        // Aedes hangs its client on the connection once the stream is handled.
        const clientId = (conn as Duplex & {client?: Client}).client?.id;
        this.#refused("packet", conn, clientId ?? undefined, `disconnected, ${error.message}`);
      });
      this.#addresses.set(connection, `${socket.remoteAddress}:${socket.remotePort}`);
      aedes.handle(connection);
    });
    if (this.#opts.connections) guardConnections(server, this.#opts.connections, this.#opts.log);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(this.#opts.port, this.#opts.host, () => resolve());
      });
    } catch (err) {
      // The port is taken: Aedes's heartbeat timer must not outlive the failed start.
      await this.stop();
      if ((err as NodeJS.ErrnoException).code === "EADDRINUSE")
        throw new Error(
          this.#opts.port === 0
            ? portTakenMessage(0, "the embedded MQTT broker", "")
            : `port ${this.#opts.port} for the embedded MQTT broker is already in use (another broker such as Mosquitto, or another copy of this service?): stop it, choose another embedded_broker_port, or use that broker with mqtt_mode: external and mqtt_url`,
        );
      throw err;
    }
    this.#server = server;
    this.#opts.log.info(`Embedded MQTT broker listening on ${this.url} (login required)`);
  }

  async stop(): Promise<void> {
    // Aedes first: it closes client sockets, which the server's close() would otherwise wait for.
    const aedes = this.#aedes;
    this.#aedes = undefined;
    this.#service = undefined;
    this.#ownMessages?.close();
    this.#ownMessages = undefined;
    await new Promise<void>((resolve) => (aedes ? aedes.close(() => resolve()) : resolve()));
    const server = this.#server;
    this.#server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** The address local clients use; with port 0, the port the system picked. */
  get url(): string {
    const address = this.#server?.address() as net.AddressInfo | null;
    const host = this.#opts.host === "0.0.0.0" ? "127.0.0.1" : this.#opts.host;
    return `mqtt://${host}:${address?.port ?? this.#opts.port}`;
  }

  get maxPacketBytes(): number {
    return this.#limits.maxPacketBytes;
  }

  /** Publishes as the service's own client, straight into the broker, in order (see OwnMessages). */
  publishOwn(topic: string, payload: Buffer, retain: boolean, done: (err?: Error) => void): void {
    if (this.#ownMessages) this.#ownMessages.publish(topic, payload, retain, done);
    else done(new Error("the embedded MQTT broker is not running"));
  }

  /** The login of the service's own client for this run; valid once started. */
  get serviceLogin(): BrokerLogin {
    if (!this.#service) throw new Error("The embedded MQTT broker is not running");
    return this.#service;
  }

  health() {
    return {
      details: {
        url: this.url,
        clients: this.#aedes?.connectedClients ?? 0,
        retained: this.#budget.stats,
        ...(this.#offline ? {offline: this.#offline.stats} : {}),
      },
    };
  }

  #refused(kind: Refusal, connection: object | undefined, clientId: string | undefined, reason: string): void {
    const address = (connection && this.#addresses.get(connection)) ?? "an unknown address";
    const key = `${address.replace(/:\d+$/, "")} ${kind}`;
    const now = Date.now();
    if (now - (this.#refusalsLogged.get(key) ?? -Infinity) < REFUSAL_LOG_INTERVAL_MS) return;
    if (this.#refusalsLogged.size >= MAX_REMEMBERED_REFUSALS) this.#refusalsLogged.clear();
    this.#refusalsLogged.set(key, now);
    const who = clientId ? `'${clientId}' ` : "";
    this.#opts.log.warning(`MQTT client ${who}from ${address}: ${reason}`);
  }
}

type Enqueue = (subs: Array<{clientId: string}>, packet: {payload?: Buffer | string}) => Promise<void>;
type Clear = (client: {id: string}, packet: unknown, ...rest: unknown[]) => unknown;

/**
 * Aedes queues a QoS 1/2 message for every persistent session it matches through one persistence
 * call: messages for clients that are away pass `OfflineSessions` first; each acknowledgement
 * counts one down, and a session ending frees its count.
 */
function capOfflineQueues(aedes: Aedes, offline: OfflineSessions): void {
  // Both are Aedes's own fields (aedes.js), absent from its type declarations.
  const inner = aedes as unknown as {
    persistence: {outgoingEnqueueCombi: Enqueue; outgoingClearMessageId: Clear};
    clients: Record<string, unknown>;
  };
  const {persistence, clients} = inner;
  const enqueue = persistence.outgoingEnqueueCombi.bind(persistence);
  persistence.outgoingEnqueueCombi = (subs, packet) => {
    const bytes = packet.payload === undefined ? 0 : Buffer.byteLength(packet.payload);
    return enqueue(
      offline.admit(subs, bytes, (id) => Object.hasOwn(clients, id)),
      packet,
    );
  };
  // An acknowledged message leaves the queue (the persistence answers with what it removed).
  const clear = persistence.outgoingClearMessageId.bind(persistence);
  persistence.outgoingClearMessageId = (client, packet, ...rest) => {
    const result = clear(client, packet, ...rest);
    if (!(result instanceof Promise)) return result;
    return result.then((removed: {payload?: Buffer | string} | undefined) => {
      if (removed) offline.delivered(client.id, removed.payload ? Buffer.byteLength(removed.payload) : 0);
      return removed;
    });
  };
  // A clean start ends whatever session the id had.
  aedes.on("client", (client) => {
    if ((client as {clean?: boolean}).clean) offline.reset(client.id);
  });
  aedes.on("sessionExpired", (client) => offline.reset(client.id));
  aedes.on("sessionLimitReached", (client) => offline.reset(client.id));
}
