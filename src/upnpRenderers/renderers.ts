import {createHash, randomUUID} from "node:crypto";
import {readFile} from "node:fs/promises";
import path from "node:path";
import type Koa from "koa";
import type {EventBus} from "../core/events.js";
import {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {UpnpStatus} from "../shared/api/upnp.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {UpnpAccess} from "../upnp/access.js";
import type {HostedDevice} from "../upnp/hostedDevice.js";
import {upnpProduct, upnpServerHeader} from "../upnp/serverHeader.js";
import {ipv4Interfaces} from "../upnp/ssdpInterfaces.js";
import {type SsdpDevice, SsdpServer} from "../upnp/ssdpServer.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {CastNow} from "./castNow.js";
import {CastOrigins} from "./castOrigins.js";
import {ConverterSlots} from "./converterSlots.js";
import type {TargetContext} from "./playTarget.js";
import {Renderer, type RendererDeps} from "./renderer.js";
import {createUpnpApp} from "./rendererApp.js";
import {rendererPath} from "./rendererDescription.js";
import {RENDERER_TYPE, SERVICE_KEYS, SERVICES} from "./rendererTables.js";

declare module "../core/events.js" {
  interface EventMap {
    /** What a renderer's queue plays now on a player's relay card: the title shown for it (null: none). */
    "upnp.castTitleChanged": {playerId: string; title: string | null};
    /** A track cast to a player ended early, before its source did, and why (the source stopped sending, ran too long…). */
    "upnp.castTrackEnded": {playerId: string; title: string; why: string};
  }
}

export interface UpnpRenderersOptions {
  enabled: boolean;
  /** The renderers' listener's port (it runs the app this builds, and starts before this). */
  httpPort: () => number;
  /** Whether that listener is up: without it there is nothing to announce. */
  listening?: () => boolean;
  ssdpPort: number;
  ssdpScope: "machine" | "network";
  allow: readonly string[];
  /** Whether a player's own switch lets it be a renderer. */
  exposed(playerId: string): boolean;
  players: {list(): PlayerState[]};
  deps: Omit<RendererDeps, "log">;
  store: StateStore;
  bus: EventBus;
  version: string;
  iconFile: string;
  log: Logger;
  /** The library's MediaServer, on this listener and SSDP (upnp_library), when it is on. */
  library?: HostedDevice;
}

/**
 * Every player as a UPnP MediaRenderer that Home Assistant's DLNA integration, Music Assistant and
 * any UPnP app find and play on: the renderers' own listener, SSDP, and one Renderer per player,
 * following the players (added, renamed, gone) and their switches.
 */
export class UpnpRenderers implements Service {
  readonly name = "upnp";
  readonly #opts: UpnpRenderersOptions;
  readonly #renderers = new Map<string, Renderer>();
  readonly #flood: FloodSummary;
  /** Where casts lead, with the origins control points cast from on their own address trusted (bounded). */
  readonly #target: TargetContext;
  readonly #access: UpnpAccess;
  /** The ffmpeg processes every renderer converts casts with, counted against both ceilings. */
  readonly #converters = new ConverterSlots();
  #ssdp?: SsdpServer;
  #seed = "";
  #keyv?: StoreNamespace<string>;
  #icon?: Buffer;

  /** Descriptions, control and events: served by the renderers' own listener (built beside this). */
  readonly app: Koa;

  constructor(opts: UpnpRenderersOptions) {
    this.#opts = opts;
    this.#flood = new FloodSummary(opts.log);
    const casts = new CastOrigins(opts.deps.target.policy);
    this.#target = {...opts.deps.target, trustCast: (origin) => casts.add(origin)};
    this.#access = new UpnpAccess(opts.allow);
    this.app = createUpnpApp({
      renderer: (id) => this.#renderers.get(id),
      access: this.#access,
      icon: async () => {
        this.#icon ??= await readFile(opts.iconFile);
        return this.#icon;
      },
      serverHeader: upnpServerHeader(upnpProduct(opts.version)),
      flood: this.#flood,
      log: opts.log,
      ...(opts.library ? {hosted: opts.library} : {}),
    });
  }

  async start(): Promise<void> {
    const o = this.#opts;
    if (!o.enabled) return;
    if (o.listening && !o.listening())
      throw new Error("the DLNA renderers are not announced: their listener (upnp-http) could not start");
    // The instance's seed makes each UDN: stable across restarts and renames, and unlike another
    // instance's for the same player. Saved before any renderer is announced with it.
    this.#keyv = o.store.namespace<string>("upnp");
    this.#seed = (await this.#keyv.get("seed")) ?? "";
    if (!this.#seed) {
      this.#seed = randomUUID();
      await this.#keyv.set("seed", this.#seed);
    }
    this.#ssdp = new SsdpServer({
      port: o.ssdpPort,
      scope: o.ssdpScope,
      httpPort: () => this.port,
      devices: () => [
        ...[...this.#renderers.values()].map((r) => ssdpDevice(r)),
        ...(o.library ? [o.library.ssdpDevice()] : []),
      ],
      allows: (address) => this.#access.allows(address),
      product: upnpProduct(o.version),
      log: o.log.child("ssdp"),
    });
    for (const p of o.players.list()) this.#add(p);
    // A name no player id can have (they are letters, digits, _ and -).
    o.library?.start(this.#udn("#library"));
    await this.#ssdp.start();
    o.bus.on(this, "player.added", ({player}) => this.#add(player, true));
    o.bus.on(this, "player.changed", ({player}) => this.#changed(player));
    o.bus.on(this, "player.removed", ({id}) => this.#remove(id));
    o.bus.on(this, "player.exposureChanged", ({playerId}) => {
      const player = o.players.list().find((p) => p.id === playerId);
      if (player && o.exposed(playerId)) this.#add(player, true);
      else this.#remove(playerId);
    });
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    for (const r of this.#renderers.values()) r.stop();
    await this.#ssdp?.stop();
    this.#opts.library?.stop();
    this.#renderers.clear();
    this.#flood.stop();
  }

  /** The renderers' listener port (a test's 0 becomes the real one). */
  get port(): number {
    return this.#opts.httpPort();
  }

  get ssdpPort(): number {
    return this.#ssdp?.port ?? this.#opts.ssdpPort;
  }

  /** The library's MediaServer, when upnp_library has it on. */
  get library(): HostedDevice | undefined {
    return this.#opts.library;
  }

  renderer(playerId: string): Renderer | undefined {
    return this.#renderers.get(playerId);
  }

  /**
   * What a cast plays on the player showing `cardId` (its relay card), as the media player, the
   * admin API, the panel and the history show it: from the moment the player shows that card.
   */
  castNowOnCard(cardId: string): CastNow | undefined {
    for (const r of this.#renderers.values()) {
      // A player stopped on the relay card is still shown by the cast it played there last.
      const {cardId: on, lastCardId} = r.player().playback;
      if ((on ?? lastCardId) !== cardId) continue;
      const now = r.castNow();
      if (now) return now;
    }
    return undefined;
  }

  /** The title of what a renderer's cast plays on a relay card, shown for that card instead of its own. */
  castTitleOnCard(cardId: string): string | undefined {
    for (const r of this.#renderers.values()) {
      const title = r.castTitle();
      if (title !== undefined && r.player().playback.cardId === cardId) return title;
    }
    return undefined;
  }

  health() {
    const subscribers = [...this.#renderers.values()].reduce((n, r) => n + r.subs.size, 0);
    return {
      details: {
        enabled: this.#opts.enabled,
        renderers: this.#renderers.size,
        subscribers,
        port: this.port,
        converters: this.#converters.count(),
      },
    };
  }

  /** ffmpeg processes converting casts now: for one player's renderer, or for all. */
  converters(playerId?: string): number {
    return this.#converters.count(playerId);
  }

  /** How each renderer is seen, for the panel's player details. */
  status(requestHost: string): UpnpStatus {
    const o = this.#opts;
    // The address a control point reaches: this machine's on the home network (a real install), or
    // loopback (the demo). The panel's own request may come through Home Assistant's ingress proxy,
    // whose host is nothing a control point can use.
    const locationHost =
      o.ssdpScope === "machine"
        ? "127.0.0.1"
        : (ipv4Interfaces().find((i) => !i.address.startsWith("127."))?.address ?? requestHost);
    return {
      enabled: o.enabled,
      port: this.port,
      ssdp: {port: this.ssdpPort, scope: o.ssdpScope},
      renderers: o.players.list().map((p) => {
        const r = this.#renderers.get(p.id);
        return {
          player_id: p.id,
          name: p.name,
          enabled: r !== undefined,
          udn: this.#udn(p.id),
          location: `http://${locationHost}:${this.port}${rendererPath(p.id)}/description.xml`,
          subscribers: r?.subs.size ?? 0,
          seen_by: r ? [...r.seenBy].reverse().map(([address, at]) => ({address, at})) : [],
          last_action: r?.lastAction ?? null,
        };
      }),
      library:
        o.enabled && o.library
          ? {
              udn: o.library.ssdpDevice().udn,
              location: `http://${locationHost}:${this.port}${o.library.ssdpDevice().descriptionPath}`,
              subscribers: o.library.subscribers(),
            }
          : null,
    };
  }

  #udn(playerId: string): string {
    const hex = createHash("sha1").update(`${this.#seed}\0${playerId}`).digest("hex");
    // A name-based UUID's layout (version 5), so control points that check the form take it.
    return `uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
  }

  #add(player: PlayerState, announce = false): void {
    if (!this.#opts.exposed(player.id) || this.#renderers.has(player.id)) return;
    const renderer = new Renderer(
      {
        playerId: player.id,
        udn: this.#udn(player.id),
        name: player.name,
        model: modelName(player),
        version: this.#opts.version,
      },
      {
        ...this.#opts.deps,
        target: this.#target,
        converters: this.#converters,
        log: this.#opts.log,
        castTitleChanged: (title) => this.#opts.bus.emit("upnp.castTitleChanged", {playerId: player.id, title}),
        castTrackEnded: (title, why) => this.#opts.bus.emit("upnp.castTrackEnded", {playerId: player.id, title, why}),
      },
    );
    this.#renderers.set(player.id, renderer);
    if (announce) this.#ssdp?.alive(ssdpDevice(renderer));
  }

  #changed(player: PlayerState): void {
    const r = this.#renderers.get(player.id);
    if (!r) return;
    if (r.identity.name !== player.name) {
      // A rename: control points read the name from the description again when it is announced anew.
      r.identity = {...r.identity, name: player.name};
      this.#ssdp?.alive(ssdpDevice(r));
    }
    r.playerChanged(player);
  }

  #remove(playerId: string): void {
    const r = this.#renderers.get(playerId);
    if (!r) return;
    this.#ssdp?.byebye(ssdpDevice(r));
    r.stop();
    this.#renderers.delete(playerId);
  }
}

function ssdpDevice(r: Renderer): SsdpDevice {
  return {
    udn: r.identity.udn,
    deviceType: RENDERER_TYPE,
    serviceTypes: SERVICE_KEYS.map((k) => SERVICES[k].type),
    descriptionPath: `${rendererPath(r.playerId)}/description.xml`,
  };
}

function modelName(player: PlayerState): string {
  const family = `${player.family} ${player.type}`.toLowerCase();
  return family.includes("mini") ? "Yoto Mini" : "Yoto Player";
}

export const ICON_FILE = (root: string) => path.join(root, "icon.png");
