import {mapLimited} from "../core/concurrency.js";
import {AppError, badRequest, errorMessage, notFound} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {Library} from "../library/library.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {PendingItem} from "../streams/incoming.js";
import {type SsdpScope, type SsdpTarget, searchMediaServers, ssdpTargetFor} from "../upnp/ssdpSearch.js";
import type {DirectoryEntry} from "./contentDirectory.js";
import {followAnswers} from "./discovery.js";
import {MediaServer, type ServerView, type SourceItem} from "./mediaServer.js";
import {folderTracks, parseRef} from "./refs.js";
import type {ServerGuard} from "./serverGuard.js";
import {type CachedTrack, DOWNLOAD_DEADLINE_MS, DOWNLOAD_IDLE_MS, TrackCache} from "./trackCache.js";

const MAX_ADDED = 32;
const MAX_PAGE = 500;
/**
 * Tracks of a folder fetched at once: a download waits on the network or the NAS's disk while
 * another is checked, without a flood of connections to a small server. Normalising, each is an
 * ffmpeg pass: two at once, so the first track is not slowed by many others on a small machine.
 */
const FETCH_AT_ONCE = 4;
const NORMALIZE_AT_ONCE = 2;

export interface SourcesOptions {
  /** `media_servers`: description URLs the family gave. */
  configured: readonly string[];
  /** `media_discovery`: look for servers with SSDP. */
  discovery: boolean;
  discoveryEveryMs?: number;
  /**
   * Where discovery searches: `"machine"` (the default: a unicast search of this machine's SSDP
   * port, so the demo, benchmarks and tests send nothing to the home network) or `"network"` (the
   * multicast group; only a real install, `start`, asks for it).
   */
  ssdpScope?: SsdpScope;
  /** Tests answer SSDP from a loopback port of their own (wins over the scope). */
  ssdpTarget?: SsdpTarget;
  /** How long a search collects answers (default 3 s: servers may wait up to MX, 2 s, to answer; a loopback answer comes at once). */
  ssdpWindowMs?: number;
  cacheLimitBytes: number;
  /** Tracks queued this recently are never evicted (default 10 minutes; tests use 0). */
  cachePinMs?: number;
  /** A track download silent this long is given up (default 30 s; tests shorten it). */
  downloadIdleMs?: number;
  /** A track download still under way this long after it began is given up (default 15 minutes; tests shorten it). */
  downloadDeadlineMs?: number;
  normalize: boolean;
  ffmpegPath: () => string | undefined;
  /** What a server's links may lead to (its own host and port, never this service's listeners). */
  guard?: ServerGuard;
  store: StateStore;
  library: Library;
  /** Library items something plays (streams, presets, cards): the cache keeps them. */
  inUse: () => Set<string>;
  log: Logger;
}

/**
 * The home network's media servers (docs/media-servers.md, "Your media server"): found by SSDP or given by the
 * address of their description, browsed and searched for the panel, and their tracks and folders
 * turned into library items for queues and cards through a bounded cache.
 */
export class Sources implements Service {
  readonly name = "sources";
  readonly #opts: SourcesOptions;
  readonly #servers = new Map<string, MediaServer>();
  /** Given servers that did not answer yet: tried again with each discovery round. */
  readonly #pending = new Map<string, string>();
  readonly #cached = new Map<string, CachedTrack>();
  readonly #cache: TrackCache;
  #added: string[] = [];
  #stored?: StoreNamespace<string[]>;
  #cacheStore?: StoreNamespace<CachedTrack>;
  #life = new AbortController();
  #timer?: NodeJS.Timeout;
  #round?: Promise<void>;
  #looking = false;

  constructor(opts: SourcesOptions) {
    this.#opts = opts;
    this.#cache = new TrackCache({
      library: opts.library,
      store: () => this.#cacheStore as StoreNamespace<CachedTrack>,
      entries: this.#cached,
      limitBytes: opts.cacheLimitBytes,
      normalize: opts.normalize,
      ffmpegPath: opts.ffmpegPath,
      inUse: opts.inUse,
      pinMs: opts.cachePinMs ?? 10 * 60_000,
      idleMs: opts.downloadIdleMs ?? DOWNLOAD_IDLE_MS,
      deadlineMs: opts.downloadDeadlineMs ?? DOWNLOAD_DEADLINE_MS,
      access: (serverId) => this.#servers.get(serverId)?.access,
      log: opts.log,
    });
  }

  async start(): Promise<void> {
    this.#life = new AbortController();
    this.#stored = this.#opts.store.namespace<string[]>("sources");
    this.#cacheStore = this.#opts.store.namespace<CachedTrack>("sourcecache");
    this.#added = (await this.#stored.get("added")) ?? [];
    for (const [key, entry] of await this.#opts.store.entries<CachedTrack>("sourcecache")) this.#cached.set(key, entry);
    for (const url of new Set([...this.#opts.configured, ...this.#added])) this.#pending.set(url, "not asked yet");
    if (this.#opts.discovery) {
      const {host, port} = this.#ssdpTarget();
      this.#opts.log.info(
        this.#opts.ssdpTarget || this.#opts.ssdpScope !== "network"
          ? `Looking for media servers on this machine only (SSDP to ${host}:${port}), not on the home network`
          : "Looking for media servers on the home network (SSDP)",
      );
    }
    // In the background: a server that is off must not hold up the service's start.
    this.#startRound();
    const every = this.#opts.discoveryEveryMs ?? 5 * 60_000;
    this.#timer = setInterval(() => this.#startRound(), every);
  }

  /** One round at a time: a slow one (servers that do not answer) is not piled on, nor counted twice. */
  #startRound(): void {
    if (this.#looking) return;
    this.#looking = true;
    this.#round = this.#lookAround().finally(() => {
      this.#looking = false;
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#life.abort();
    await this.#round?.catch(() => undefined);
    this.#servers.clear();
    this.#pending.clear();
    this.#cached.clear();
  }

  health() {
    const views = this.list();
    const down = views.filter((v) => v.state !== "ok");
    return {
      ...(down.length > 0
        ? {degraded: true, error: `Not answering: ${down.map((d) => `${d.name} (${d.error})`).join("; ")}`}
        : {}),
      details: {servers: views.length, cachedTracks: this.#cached.size},
    };
  }

  /** For tests and the first look: the discovery round under way. */
  async settled(): Promise<void> {
    await this.#round;
  }

  list(): ServerView[] {
    const pending = [...this.#pending.entries()].map(
      ([url, error]): ServerView => ({
        id: "",
        name: new URL(url).host,
        state: "not_answering",
        error,
        url,
        search: false,
        discovered: false,
      }),
    );
    return [...[...this.#servers.values()].map((s) => s.view()), ...pending];
  }

  /** A server by the address of its description, kept across restarts. */
  async add(url: unknown): Promise<ServerView> {
    if (typeof url !== "string" || !/^https?:\/\/[^\s]{1,2000}$/i.test(url))
      throw badRequest(
        `url must be the address of the server's description document, like "http://nas.local:8200/rootDesc.xml"`,
        "bad_source",
      );
    if (this.#added.length >= MAX_ADDED && !this.#added.includes(url))
      throw badRequest(
        `At most ${MAX_ADDED} media servers can be added; remove one first (DELETE /api/sources/<id>)`,
        "too_many_sources",
      );
    const server = await MediaServer.connect(url, false, this.#opts.guard, this.#life.signal);
    // Saved before it is taken: a save that fails (a full disk) leaves the list as it was, rather
    // than a server that answers now and is gone after a restart.
    if (!this.#added.includes(url) && !this.#opts.configured.includes(url)) {
      const added = [...this.#added, url];
      await this.#stored?.set("added", added);
      this.#added = added;
    }
    this.#servers.set(server.id, server);
    this.#pending.delete(url);
    this.#opts.log.info(`Media server '${server.description.name}' added (${url})`);
    return server.view();
  }

  async remove(id: string): Promise<void> {
    const server = this.#server(id);
    if (this.#opts.configured.includes(server.description.url))
      throw new AppError(
        "configured_source",
        `'${server.description.name}' is in the media_servers option: take it out there`,
        {status: 409},
      );
    const added = this.#added.filter((u) => u !== server.description.url);
    await this.#stored?.set("added", added);
    this.#added = added;
    this.#servers.delete(id);
  }

  /** A folder's entries (the root when absent) or, with `q`, what the server finds. */
  async browse(
    id: string,
    query: {object?: string; q?: string; start?: number; count?: number},
  ): Promise<{items: SourceItem[]; total: number}> {
    const server = this.#server(id);
    const start = Math.max(0, query.start ?? 0);
    const count = Math.min(MAX_PAGE, Math.max(1, query.count ?? 100));
    if (query.q !== undefined && !server.canSearch)
      throw badRequest(
        `Media server '${server.description.name}' cannot search: browse its folders instead`,
        "search_unsupported",
      );
    const signal = this.#life.signal;
    const page = await server.ask(() =>
      query.q !== undefined
        ? server.directory.search(query.q as string, start, count, signal)
        : server.directory.browse(query.object ?? "0", start, count, signal),
    );
    return {items: page.entries.map((e) => server.item(e)), total: page.total};
  }

  /**
   * A `dlna:` ref as library items on their way, in order: a track's, or a folder's tracks, fetched
   * into the cache a few at a time (FETCH_AT_ONCE) from the first. Those not started yet when `stop`
   * aborts are not fetched; one under way finishes into the cache.
   */
  async expand(ref: string, stop?: AbortSignal): Promise<PendingItem[]> {
    const {serverId, objectId} = parseRef(ref);
    const server = this.#server(serverId);
    const signal = this.#life.signal;
    const entry = await server.ask(() => server.directory.metadata(objectId, signal));
    if (!entry) throw notFound(`Media server '${server.description.name}' has no '${objectId}'`, "unknown_source_item");
    const tracks =
      entry.kind === "track" ? [entry] : await server.ask(() => folderTracks(server.directory, objectId, signal));
    if (tracks.length === 0)
      throw badRequest(`'${entry.title}' on '${server.description.name}' holds no tracks`, "bad_items");
    const fetch = (track: DirectoryEntry) =>
      this.#cache.itemFor(`${serverId}:${track.id}`, serverId, track, signal).catch((err: unknown) => {
        if (err instanceof AppError) throw err;
        throw new AppError(
          "source_fetch_failed",
          `Media server '${server.description.name}' could not send '${track.title}': ${errorMessage(err)}`,
          {status: 502, expose: true},
        );
      });
    const atOnce = this.#opts.normalize ? NORMALIZE_AT_ONCE : FETCH_AT_ONCE;
    const ids = mapLimited(tracks, atOnce, fetch, stop ? AbortSignal.any([stop, signal]) : signal);
    return tracks.map((track, i) => ({title: track.title, id: ids[i] as Promise<string>}));
  }

  #server(id: string): MediaServer {
    const server = this.#servers.get(id);
    if (!server) {
      const known = [...this.#servers.values()].map((s) => `${s.id} (${s.description.name})`);
      throw notFound(
        `There is no media server '${id}'${known.length ? `; there are: ${known.join(", ")}` : ": GET /api/sources lists them"}`,
        "unknown_source",
      );
    }
    return server;
  }

  #ssdpTarget(): SsdpTarget {
    return this.#opts.ssdpTarget ?? ssdpTargetFor(this.#opts.ssdpScope ?? "machine");
  }

  /** Given servers not met yet, and (with discovery) whoever answers an SSDP search. */
  async #lookAround(): Promise<void> {
    const signal = this.#life.signal;
    await Promise.all(
      [...this.#pending.keys()].map(async (url) => {
        try {
          const server = await MediaServer.connect(url, false, this.#opts.guard, signal);
          this.#servers.set(server.id, server);
          this.#pending.delete(url);
        } catch (err) {
          if (!signal.aborted) this.#pending.set(url, errorMessage(err));
        }
      }),
    );
    if (!this.#opts.discovery || signal.aborted) return;
    try {
      const search = await searchMediaServers(this.#opts.ssdpWindowMs ?? 3000, signal, this.#ssdpTarget());
      await followAnswers(search, {
        servers: this.#servers,
        connect: (location) => MediaServer.connect(location, true, this.#opts.guard, signal).catch(() => undefined),
        log: this.#opts.log,
        now: Date.now(),
      });
    } catch (err) {
      if (!signal.aborted)
        this.#opts.log.info(
          `Media servers cannot be looked for on this network (${errorMessage(err)}); give them in media_servers`,
        );
    }
  }
}
