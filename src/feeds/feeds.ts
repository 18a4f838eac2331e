import {notFound} from "../core/errors.js";
import type {Service} from "../core/service.js";
import type {FeedProgress, FeedView, HiddenEpisode} from "../shared/api/streams.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {checkName} from "../streams/model.js";
import type {OwnerWrites} from "../streams/streamOwnership.js";
import type {KeptEpisode} from "./episodeDownloads.js";
import {type FailingFeed, failingSince, feedsHealth} from "./failing.js";
import {feedConfig, feedOptions} from "./feedConfig.js";
import {feedOwner} from "./feedOwner.js";
import {type FeedRecord, FeedRefresher, type FeedRefreshOptions} from "./feedRefresh.js";
import {HiddenEpisodes, hiddenList} from "./hiddenEpisodes.js";

export type {FailingFeed, FeedProgress};

export interface FeedsOptions extends FeedRefreshOptions {
  store: StateStore;
  /** How often due feeds are looked for (default a minute). */
  tickMs?: number;
}

export type {KeptEpisode};

/**
 * Streams that follow a podcast feed (docs/feeds.md, "Podcast feeds"): refreshed on a schedule and on demand, with
 * conditional requests; new episodes are downloaded, checked and normalised like uploads, and the
 * queue switches to them in one change once they are all in. A feed that fails keeps its last good
 * episodes and says why.
 */
export class Feeds implements Service {
  readonly name = "feeds";
  readonly #opts: FeedsOptions;
  readonly #records = new Map<string, FeedRecord>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #progress = new Map<string, FeedProgress>();
  #saved?: StoreNamespace<FeedRecord>;
  readonly #hidden: HiddenEpisodes;
  /** The queue writes only a feed may make to its streams (others' are judged by feedOwner). */
  readonly #writes: OwnerWrites;
  readonly #refresher: FeedRefresher;
  #timer?: NodeJS.Timeout;
  #stopped = true;
  /** Aborts downloads under way when the service stops, so stopping never waits on the network. */
  #stopping = new AbortController();

  constructor(opts: FeedsOptions) {
    this.#opts = opts;
    this.#hidden = new HiddenEpisodes(opts.store, opts.log);
    this.#writes = opts.streams.registerOwner(feedOwner(this));
    this.#refresher = new FeedRefresher({
      options: opts,
      hidden: this.#hidden,
      writes: this.#writes,
      current: (stream) => this.#records.get(stream),
      save: (stream, record) => this.#save(stream, record),
      show: (stream, record) => {
        if (this.#records.has(stream)) this.#records.set(stream, record);
      },
      progress: (stream, progress) => this.#progress.set(stream, progress),
      signal: () => this.#stopping.signal,
      stopped: () => this.#stopped,
    });
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#stopping = new AbortController();
    this.#saved = this.#opts.store.namespace<FeedRecord>("feeds");
    for (const [name, record] of await this.#opts.store.entries<FeedRecord>("feeds")) this.#records.set(name, record);
    await this.#hidden.load();
    this.#opts.bus.on(this, "stream.deleted", ({name}) => void this.#forget(name));
    this.#timer = setInterval(() => this.#refreshDue(), this.#opts.tickMs ?? 60_000);
    this.#timer.unref();
    this.#refreshDue();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    clearInterval(this.#timer);
    this.#opts.bus.off(this);
    await Promise.allSettled(this.#running.values());
  }

  health() {
    return feedsHealth(this.failing(), this.#records.size);
  }

  /** The feeds whose last refresh failed, by stream name, with why and since when (epoch ms). */
  failing(): FailingFeed[] {
    return [...this.#records]
      .filter(([, r]) => r.error !== undefined)
      .map(([stream, r]) => ({stream, error: r.error as string, since: failingSince(r)}))
      .sort((a, b) => a.stream.localeCompare(b.stream));
  }

  has(stream: string): boolean {
    return this.#records.has(stream);
  }

  names(): string[] {
    return [...this.#records.keys()];
  }

  /** Make `stream` follow the feed `raw` describes (replacing what it followed), then refresh it in the background. */
  async follow(stream: string, raw: unknown): Promise<void> {
    checkName("stream", stream);
    const config = feedConfig(raw);
    const before = this.#records.get(stream);
    if (!this.#opts.streams.has(stream)) await this.#writes.replace(stream, [], "once");
    const sameFeed = before?.config.url === config.url;
    const record: FeedRecord = {
      config,
      validators: {},
      episodes: before?.episodes ?? [],
      skipped: [],
      ...(sameFeed ? {title: before.title, image: before.image} : {}),
    };
    // What was hidden from another feed means nothing in this one.
    if (!sameFeed) await this.#hidden.forget(stream);
    await this.#save(stream, record);
    if (!before) this.#opts.bus.emit("feed.followed", {stream, following: true});
    void this.refresh(stream).catch(() => undefined);
  }

  /** Stop following; the episodes stay in the stream and the library. */
  async unfollow(stream: string): Promise<void> {
    this.#record(stream);
    await this.#saved?.delete(stream);
    this.#records.delete(stream);
    await this.#hidden.forget(stream);
    this.#opts.bus.emit("feed.followed", {stream, following: false});
  }

  /**
   * Hide the episode that is library item `itemId` (a family took its row out of the queue): it
   * leaves the queue now, and every later refresh leaves it out, so `keep` fills its place with the
   * next newest episode. Answers the episode, or undefined when the item is not one of the feed's
   * (a greeting in front of the episodes: the caller removes it as any item).
   */
  async hide(stream: string, itemId: string): Promise<KeptEpisode | undefined> {
    const episode = this.#record(stream).episodes.find((e) => e.itemId === itemId);
    if (!episode) return undefined;
    await this.#hidden.hide(stream, {key: episode.key, title: episode.title});
    // Out of the queue now; its file leaves the library at the next refresh, as an episode past `keep` does.
    await this.#writes.removeItem(stream, itemId);
    this.#refreshAfterwards(stream);
    return episode;
  }

  /** Let a hidden episode back in: the refresh this starts brings it back if it is still among the newest. */
  async unhide(stream: string, key: string): Promise<HiddenEpisode> {
    this.#record(stream);
    const hidden = this.#hidden.list(stream);
    const episode = hidden.find((h) => h.key === key);
    if (!episode)
      throw notFound(`Stream '${stream}' hides no episode '${key.slice(0, 300)}'${hiddenList(hidden)}`, "not_hidden");
    await this.#hidden.unhide(stream, key);
    this.#refreshAfterwards(stream);
    return episode;
  }

  /** Refresh now; a refresh already running is joined rather than started twice. Never rejects for a bad feed. */
  refresh(stream: string): Promise<void> {
    this.#record(stream);
    let running = this.#running.get(stream);
    if (!running) {
      running = this.#refresher.refresh(stream, this.#record(stream)).finally(() => {
        this.#running.delete(stream);
        this.#progress.delete(stream);
      });
      this.#running.set(stream, running);
    }
    return running;
  }

  /** What the API and the panel show. */
  view(stream: string): FeedView {
    const r = this.#record(stream);
    const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());
    return {
      ...feedOptions(r.config),
      title: r.title ?? null,
      image: r.image ?? null,
      refreshing: this.#running.has(stream),
      progress: this.#progress.get(stream) ?? null,
      last_checked: iso(r.checkedAt),
      last_refresh: iso(r.refreshedAt),
      error: r.error ?? null,
      failing_since: r.error === undefined ? null : iso(failingSince(r)),
      episodes: this.episodes(stream).map((e) => ({
        title: e.title,
        published: e.published ? new Date(e.published).toISOString() : null,
        duration: e.duration ?? null,
        item: e.itemId,
      })),
      skipped: r.skipped,
      skipped_more: r.skippedMore ?? 0,
      hidden: this.#hidden.list(stream),
    };
  }

  /**
   * The episodes a stream holds now, in play order (cards make a chapter of each). One hidden since
   * the last refresh is left out at once, though the record keeps it until that refresh replaces it.
   */
  episodes(stream: string): readonly KeptEpisode[] {
    const hidden = this.#hidden.keys(stream);
    const {episodes} = this.#record(stream);
    return hidden.size ? episodes.filter((e) => !hidden.has(e.key)) : episodes;
  }

  #record(stream: string): FeedRecord {
    const r = this.#records.get(stream);
    if (!r) throw notFound(`Stream '${stream}' does not follow a feed`, "no_feed");
    return r;
  }

  #refreshDue(): void {
    if (this.#stopped) return;
    const now = Date.now();
    for (const [name, r] of this.#records) {
      if (now - (r.checkedAt ?? 0) >= r.config.refreshEveryMs) void this.refresh(name).catch(() => undefined);
    }
  }

  async #forget(stream: string): Promise<void> {
    const record = this.#records.get(stream);
    if (!record) return;
    this.#records.delete(stream);
    await this.#saved?.delete(stream);
    await this.#hidden.forget(stream);
    this.#opts.bus.emit("feed.followed", {stream, following: false});
    for (const e of record.episodes) await this.#opts.library.remove(e.itemId).catch(() => undefined);
  }

  /** A refresh once any under way is over: that one chose its episodes before the change. */
  #refreshAfterwards(stream: string): void {
    const running = this.#running.get(stream) ?? Promise.resolve();
    void running.then(() => (this.#stopped ? undefined : this.refresh(stream))).catch(() => undefined);
  }

  async #save(stream: string, record: FeedRecord): Promise<void> {
    await this.#saved?.set(stream, record);
    this.#records.set(stream, record);
  }
}
