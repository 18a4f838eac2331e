import dgram from "node:dgram";
import {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {upnpProduct, upnpServerHeader} from "./serverHeader.js";
import {
  answersFor,
  notifyMessage,
  parseSearch,
  type SsdpDevice,
  type SsdpStamp,
  searchAnswer,
  targetsOf,
} from "./ssdpAnswers.js";
import {ipv4Interfaces, localAddressFor, type SsdpInterface} from "./ssdpInterfaces.js";
import {SsdpLimits, type SsdpRate} from "./ssdpLimits.js";
import {SSDP_GROUP, SSDP_MAX_BYTES, type SsdpScope} from "./ssdpMessage.js";

/**
 * Each set of ssdp:alive or ssdp:byebye goes this many times (UDA 1.1: UDP may lose a datagram,
 * so a device sends each more than once), ANNOUNCE_SPACING_MS apart: a burst at once would be
 * lost together.
 */
export const ANNOUNCE_ROUNDS = 3;
export const ANNOUNCE_SPACING_MS = 150;

export type {SsdpDevice} from "./ssdpAnswers.js";
export type {SsdpInterface} from "./ssdpInterfaces.js";
export type {SsdpRate} from "./ssdpLimits.js";

export interface SsdpServerOptions {
  /** UDP port searches arrive on (ssdp_port); 0 = any free port. */
  port: number;
  scope: SsdpScope;
  /** The upnp listener's port, for LOCATION. */
  httpPort: () => number;
  /** The renderers to answer for, as they are now. */
  devices: () => SsdpDevice[];
  /** CACHE-CONTROL max-age (default 1800 s); alive is sent again every half of it. */
  maxAgeSeconds?: number;
  log: Logger;
  /** SERVER's product token (default "YotoSmartStream/1.0"); the HTTP answers' Server header is upnpServerHeader of the same. */
  product?: string;
  /** CONFIGID.UPNP.ORG: a number that changes when the descriptions do (default 1). */
  configId?: () => number;
  /** Network scope: the addresses to join the group on and announce from (default every IPv4 one; tests pass loopback). */
  interfaces?: () => SsdpInterface[];
  /** Longest wait before answering a multicast search, whatever its MX (default 1000 ms). */
  maxDelayMs?: number;
  /** Searches answered per sender (default 10 at once, then 2 a second). */
  perSender?: SsdpRate;
  /** Answer datagrams across all senders (default 600 at once, then 300 a second). */
  allSenders?: SsdpRate;
  /** How long a flood of refused searches is counted before the log sums it up (a minute). */
  floodWindowMs?: number;
  /**
   * Who may be answered in network scope (upnp_allow): the renderers' control and events are
   * refused to others, so an answer would only tell them the renderers' UDNs, and make this
   * service a reflector for datagrams whose sender address is forged.
   */
  allows?: (address: string) => boolean;
}

export interface SsdpStats {
  /** Well-formed M-SEARCHes received. */
  searches: number;
  /** Searches answered (one datagram per matching target). */
  answered: number;
  /** Searches not answered because their sender, or everyone together, searched too often. */
  refused: number;
}

/**
 * The renderers' SSDP (UDA 1.1): answers M-SEARCH unicast to the searcher, with LOCATION on the
 * address it reached; in network scope also ssdp:alive at start and every half max-age and
 * ssdp:byebye at stop. In machine scope (the demo, bench and tests) nothing goes to the group:
 * searches are answered on 127.0.0.1 and from the group on lo only, so a control point on this
 * machine finds the renderers and nothing leaves it.
 */
export class SsdpServer implements Service {
  readonly name = "ssdp";
  readonly #opts: SsdpServerOptions;
  readonly #maxAge: number;
  readonly #limits: SsdpLimits;
  readonly #flood: FloodSummary;
  readonly #stats: SsdpStats = {searches: 0, answered: 0, refused: 0};
  readonly #pending = new Set<NodeJS.Timeout>();
  /** The latest announcement of each device (by UDN): a repeat of an older one is not sent (no alive after its byebye). */
  readonly #announced = new Map<string, symbol>();
  /** Waits between announcement rounds, ended at once by stop(). */
  readonly #spacing = new Set<() => void>();
  #rounds: Promise<void> = Promise.resolve();
  #sockets: dgram.Socket[] = [];
  #port = 0;
  #bootId = 0;
  #timer?: NodeJS.Timeout;
  #running = false;

  constructor(opts: SsdpServerOptions) {
    this.#opts = opts;
    this.#maxAge = opts.maxAgeSeconds ?? 1800;
    this.#limits = new SsdpLimits(opts.perSender, opts.allSenders);
    this.#flood = new FloodSummary(opts.log, {windowMs: opts.floodWindowMs});
  }

  /** The bound port (after start; a configured 0 becomes the real one). */
  get port(): number {
    return this.#port;
  }

  stats(): SsdpStats {
    return {...this.#stats};
  }

  health() {
    return {details: {port: this.#port, scope: this.#opts.scope, ...this.#stats}};
  }

  async start(): Promise<void> {
    if (this.#running) return;
    // BOOTID must grow with each start (UDA 1.1): seconds since 1970 do, and fit its 31 bits until 2038.
    this.#bootId = Math.floor(Date.now() / 1000);
    try {
      if (this.#opts.scope === "machine") await this.#listenOnMachine();
      else await this.#listenOnNetwork();
    } catch (err) {
      this.#closeSockets();
      throw err;
    }
    this.#running = true;
    if (this.#opts.scope === "network") {
      this.#opts.log.info(`Answering UPnP searches on the home network (SSDP, UDP ${this.#port})`);
      await this.#announce("alive", this.#opts.devices());
      this.#timer = setInterval(() => void this.#announce("alive", this.#opts.devices()), (this.#maxAge * 1000) / 2);
      this.#timer.unref();
    } else this.#opts.log.info(`Answering UPnP searches on this machine only (SSDP on 127.0.0.1:${this.#port})`);
  }

  async stop(): Promise<void> {
    if (this.#running && this.#opts.scope === "network") await this.#announce("byebye", this.#opts.devices());
    this.#running = false;
    this.#announced.clear();
    for (const end of this.#spacing) end();
    clearInterval(this.#timer);
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
    this.#closeSockets();
    this.#flood.stop();
  }

  /** Announce a renderer that came (network scope; machine scope sends nothing to the group). */
  alive(device: SsdpDevice): void {
    if (this.#running && this.#opts.scope === "network") void this.#announce("alive", [device]);
  }

  /** Say a renderer went (network scope). */
  byebye(device: SsdpDevice): void {
    if (this.#running && this.#opts.scope === "network") void this.#announce("byebye", [device]);
  }

  async #listenOnMachine(): Promise<void> {
    const unicast = await this.#bind(this.#opts.port, "127.0.0.1");
    this.#port = unicast.address().port;
    unicast.on("message", (msg, from) => this.#onDatagram(msg, from, false));
    // Bound to the group's address, this socket gets only the group's datagrams, and joined on lo
    // only those sent on this machine.
    const group = await this.#bind(this.#port, SSDP_GROUP);
    try {
      group.addMembership(SSDP_GROUP, "127.0.0.1");
    } catch (err) {
      // A machine whose loopback takes no multicast still answers unicast searches.
      this.#opts.log.info(`SSDP answers only unicast searches here: ${(err as Error).message}`);
      return;
    }
    group.on("message", (msg, from) => this.#onDatagram(msg, from, true));
  }

  async #listenOnNetwork(): Promise<void> {
    const socket = await this.#bind(this.#opts.port, undefined);
    this.#port = socket.address().port;
    // UDA 1.1: a TTL of 2 by default, so announcements stay near the home network.
    socket.setMulticastTTL(2);
    for (const {address} of this.#interfaces()) {
      try {
        socket.addMembership(SSDP_GROUP, address);
      } catch (err) {
        this.#opts.log.debug(`SSDP could not join the group on ${address}: ${(err as Error).message}`);
      }
    }
    socket.on("message", (msg, from) => this.#onDatagram(msg, from, true));
  }

  #bind(port: number, address: string | undefined): Promise<dgram.Socket> {
    // reuseAddr: Home Assistant's own SSDP listens on 1900 of the same host (the add-on shares it).
    const socket = dgram.createSocket({type: "udp4", reuseAddr: true});
    this.#sockets.push(socket);
    return new Promise((resolve, reject) => {
      const failed = (err: Error) =>
        reject(
          new Error(
            `SSDP cannot listen on UDP ${address ?? "*"}:${port} (${err.message}): set ssdp_port to a free port`,
          ),
        );
      socket.once("error", failed);
      socket.bind(port, address, () => {
        socket.off("error", failed);
        socket.on("error", (err) => this.#opts.log.warning(`SSDP socket: ${err.message}`));
        resolve(socket);
      });
    });
  }

  #closeSockets(): void {
    for (const socket of this.#sockets) {
      try {
        socket.close();
      } catch {
        // Already closed (a failed bind closes it).
      }
    }
    this.#sockets = [];
  }

  #interfaces(): SsdpInterface[] {
    return (this.#opts.interfaces ?? ipv4Interfaces)();
  }

  #onDatagram(msg: Buffer, from: dgram.RemoteInfo, viaGroup: boolean): void {
    if (!this.#running || msg.length > SSDP_MAX_BYTES) return;
    if (this.#opts.scope === "machine" && !from.address.startsWith("127.")) return;
    if (this.#opts.allows && !this.#opts.allows(from.address)) {
      this.#flood.warning(
        "ssdp-outside",
        `A UPnP search (SSDP) from ${from.address}, outside the home network (and upnp_allow): not answered`,
      );
      return;
    }
    const search = parseSearch(msg.toString("utf8"));
    if (!search) return;
    this.#stats.searches++;
    const answers = answersFor(search.st, this.#opts.devices());
    if (answers.length === 0) return;
    const refused = this.#limits.take(from.address, answers.length);
    if (refused) {
      this.#stats.refused++;
      this.#flood.warning(
        `ssdp-${refused}`,
        refused === "sender"
          ? `Too many UPnP searches (SSDP) from ${from.address}: not answered`
          : `Too many UPnP searches (SSDP) from everyone together: ${from.address} not answered`,
      );
      return;
    }
    const host = this.#opts.scope === "machine" ? "127.0.0.1" : localAddressFor(from.address, this.#interfaces());
    if (!host) return;
    this.#stats.answered++;
    const send = () => {
      const socket = this.#sockets[0];
      if (!this.#running || !socket) return;
      for (const answer of answers) {
        const location = `http://${host}:${this.#opts.httpPort()}${answer.device.descriptionPath}`;
        socket.send(searchAnswer(answer, location, this.#stamp()), from.port, from.address, (err) => {
          if (err) this.#opts.log.debug(`SSDP answer to ${from.address}:${from.port} not sent: ${err.message}`);
        });
      }
    };
    // A multicast search is answered after a random part of MX, so devices do not all answer at
    // once (UDA 1.1); capped, as answering sooner is allowed. A unicast search is answered at once.
    if (!viaGroup || !search.multicast) {
      send();
      return;
    }
    const delay = Math.random() * Math.min(search.mx * 1000, this.#opts.maxDelayMs ?? 1000);
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      send();
    }, delay);
    this.#pending.add(timer);
  }

  #stamp(): SsdpStamp {
    return {
      server: upnpServerHeader(this.#opts.product ?? upnpProduct("1.0")),
      maxAgeSeconds: this.#maxAge,
      bootId: this.#bootId,
      configId: this.#opts.configId?.() ?? 1,
    };
  }

  /**
   * ssdp:alive or ssdp:byebye for every target of `devices`, ANNOUNCE_ROUNDS times. A device
   * announced again meanwhile (a byebye after its alive) is left out of this one's later rounds.
   */
  async #announce(kind: "alive" | "byebye", devices: readonly SsdpDevice[]): Promise<void> {
    const token = Symbol(kind);
    for (const device of devices) this.#announced.set(device.udn, token);
    const current = () => devices.filter((d) => this.#announced.get(d.udn) === token);
    for (let round = 0; round < ANNOUNCE_ROUNDS; round++) {
      if (round > 0) await this.#space();
      if (current().length === 0) return;
      // Rounds take turns (the socket's outgoing interface is set for each): one announcement's
      // datagrams never mix with another's, so a byebye's cannot be followed by an older alive.
      const sent = this.#rounds.then(() => this.#announceOnce(kind, current()));
      this.#rounds = sent;
      await sent;
    }
  }

  #space(): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.#spacing.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ANNOUNCE_SPACING_MS);
      this.#spacing.add(end);
    });
  }

  /**
   * One round: every target of `devices`, on each address off loopback (a control point on this
   * machine hears them too), or on loopback when that is all there is.
   */
  async #announceOnce(kind: "alive" | "byebye", devices: readonly SsdpDevice[]): Promise<void> {
    const socket = this.#sockets[0];
    if (!socket || devices.length === 0) return;
    const all = this.#interfaces();
    const outside = all.filter((i) => !i.address.startsWith("127."));
    for (const {address} of outside.length > 0 ? outside : all) {
      try {
        // One interface at a time: the socket's outgoing interface is set for the sends that follow.
        socket.setMulticastInterface(address);
        for (const device of devices)
          for (const target of targetsOf(device)) {
            const location = `http://${address}:${this.#opts.httpPort()}${device.descriptionPath}`;
            const text = notifyMessage(kind, target, this.#port, this.#stamp(), location);
            await new Promise<void>((resolve, reject) =>
              socket.send(text, this.#port, SSDP_GROUP, (err) => (err ? reject(err) : resolve())),
            );
          }
      } catch (err) {
        this.#opts.log.debug(`SSDP ${kind} on ${address} not sent: ${(err as Error).message}`);
      }
    }
  }
}
