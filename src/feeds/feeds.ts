import {errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {Library} from "../library/library.js";
import type {FeedProgress, FeedView, HiddenEpisode} from "../shared/api/streams.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {checkName} from "../streams/model.js";
import type {OwnerWrites} from "../streams/streamOwnership.js";
import type {Streams} from "../streams/streams.js";
import {downloadEpisodes, type EpisodeDownloads, type KeptEpisode} from "./episodeDownloads.js";
import {type FailingFeed, failingSince, feedsHealth, stillFailingSince} from "./failing.js";
import {type FeedConfig, feedConfig, feedOptions} from "./feedConfig.js";
import {feedOwner} from "./feedOwner.js";
import {aboutFeed, type FeedParse, notTakenError, parseFeedText, skippedSummary} from "./feedParse.js";
import {fetchFeed, type Validators} from "./fetchFeed.js";
import {HiddenEpisodes, hiddenList} from "./hiddenEpisodes.js";

export type {FailingFeed, FeedProgress};

export interface FeedsOptions {
  streams: Streams;
  library: Library;
  store: StateStore;
  bus: EventBus;
  log: Logger;
  /** Episodes are downloaded here before they are checked and added to the library. */
  downloadDir: string;
  maxEpisodeBytes: number;
  normalize: boolean;
  ffmpegPath: () => string | undefined;
  userAgent: string;
  /** Where feeds and their enclosures may be fetched from (whoever publishes a feed picks its URLs). */
  fetchPolicy?: FetchPolicy;
  /** How often due feeds are looked for (default a minute). */
  tickMs?: number;
}

export type {KeptEpisode};

interface FeedRecord extends Pick<FeedParse, "title" | "image"> {
  config: FeedConfig;
  validators: Validators;
  checkedAt?: number;
  refreshedAt?: number;
  error?: string;
  failingSince?: number;
  episodes: KeptEpisode[];
  skipped: Array<{title: string; reason: string}>;
  skippedMore?: number;
}

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
  #parsing: Promise<unknown> = Promise.resolve();
  #timer?: NodeJS.Timeout;
  #stopped = true;
  /** Aborts downloads under way when the service stops, so stopping never waits on the network. */
  #stopping = new AbortController();

  constructor(opts: FeedsOptions) {
    this.#opts = opts;
    this.#hidden = new HiddenEpisodes(opts.store, opts.log);
    this.#writes = opts.streams.registerOwner(feedOwner(this));
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
      running = this.#refreshOnce(stream).finally(() => {
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

  async #refreshOnce(stream: string): Promise<void> {
    const record = this.#record(stream);
    const started = Date.now();
    const log = this.#opts.log;
    const hiddenAtStart = this.#hidden.record(stream);
    try {
      const missing = record.episodes.some((e) => !this.#opts.library.get(e.itemId));
      const answer = await fetchFeed(
        record.config.url,
        missing || hiddenAtStart?.reread ? {} : record.validators,
        this.#opts.userAgent,
        this.#opts.fetchPolicy,
      );
      if (answer.unchanged) {
        await this.#save(stream, {...record, checkedAt: started, error: undefined, failingSince: undefined});
        this.#opts.bus.emit("feed.refreshed", {
          stream,
          ok: true,
          changed: false,
          episodes: record.episodes.length,
          recovered: record.error !== undefined,
        });
        return;
      }
      // Hidden ones are left out before choosing, so `keep` counts only those the family wants.
      const hiddenKeys = hiddenAtStart?.episodes.map((h) => h.key) ?? [];
      const parsed = await this.#oneParseAtATime(() =>
        parseFeedText(answer.text, answer.url, record.config, {hidden: hiddenKeys, signal: this.#stopping.signal}),
      );
      const notTaken = notTakenError(parsed, record.config);
      if (notTaken) throw new Error(notTaken);
      if (parsed.skipped.length) log.info(`Feed of stream '${stream}': ${skippedSummary(parsed)}`);
      const fetched = await downloadEpisodes(this.#downloads(stream), record.episodes, parsed.chosen);
      // One hidden while the episodes downloaded stays out; the refresh after this one fills its place.
      const hiddenNow = this.#hidden.keys(stream);
      const kept = fetched.kept.filter((e) => !hiddenNow.has(e.key));
      const {skipped} = fetched;
      await this.#switchQueue(stream, record, kept);
      const current = this.#records.get(stream);
      if (current !== record && current?.config.url !== record.config.url) return; // refollowed meanwhile
      const error = skipped.length
        ? `${episodes(skipped.length)} could not be added: ${skipped.map((s) => `'${s.title}' (${s.reason})`).join("; ")}`
        : undefined;
      await this.#save(stream, {
        ...(current ?? record),
        ...aboutFeed(parsed),
        validators: skipped.length ? {} : answer.validators,
        episodes: kept,
        // Downloads that failed first (they make the error), then what the feed itself left out.
        skipped: [...skipped, ...parsed.skipped.map(({title, reason}) => ({title, reason}))],
        skippedMore: parsed.skippedMore,
        checkedAt: started,
        refreshedAt: started,
        error,
        failingSince: error ? stillFailingSince(current ?? record, started) : undefined,
      });
      if (hiddenAtStart?.reread) await this.#hidden.reread(stream, hiddenAtStart);
      if (error) log.warning(`Feed of stream '${stream}': ${error}`);
      this.#opts.bus.emit("feed.refreshed", {stream, ok: !error, changed: true, episodes: kept.length, error});
    } catch (err) {
      if (this.#stopped) return;
      const reason = errorMessage(err);
      log.warning(
        `The feed of stream '${stream}' could not be refreshed: ${reason}; ${record.episodes.length ? `it keeps its ${episodes(record.episodes.length)}` : "it has no episodes yet"}`,
      );
      const before = this.#records.get(stream) ?? record;
      const failed = {...before, checkedAt: started, error: reason, failingSince: stillFailingSince(before, started)};
      await this.#save(stream, failed).catch((e: unknown) => {
        // Shown all the same (the view, Home Assistant): only a restart forgets it.
        if (this.#records.has(stream)) this.#records.set(stream, failed);
        log.error(`Could not save the state of the feed of stream '${stream}' (${errorMessage(e)})`);
      });
      this.#opts.bus.emit("feed.refreshed", {
        stream,
        ok: false,
        changed: false,
        episodes: record.episodes.length,
        error: reason,
      });
    }
  }

  /**
   * Large feeds parse in a worker each: one at a time, so a restart that finds every feed due does
   * not hold several feeds' parses in memory at once.
   */
  #oneParseAtATime<T>(parse: () => Promise<T>): Promise<T> {
    const run = this.#parsing.then(parse);
    this.#parsing = run.catch(() => undefined);
    return run;
  }

  /** What a refresh of `stream` downloads episodes with. */
  #downloads(stream: string): EpisodeDownloads {
    const o = this.#opts;
    return {
      stream,
      library: o.library,
      downloadDir: o.downloadDir,
      maxBytes: o.maxEpisodeBytes,
      normalize: o.normalize,
      ffmpegPath: o.ffmpegPath,
      fetchPolicy: o.fetchPolicy,
      signal: this.#stopping.signal,
      stopped: () => this.#stopped,
      progress: (p) => {
        this.#progress.set(stream, p);
        o.bus.emit("feed.progress", {stream, ...p});
      },
    };
  }

  /**
   * One queue change: the stream's own items (a greeting a rule put first, say) stay in front, the
   * episodes follow; then the episodes no longer kept leave the library.
   */
  async #switchQueue(stream: string, record: FeedRecord, kept: KeptEpisode[]): Promise<void> {
    const previous = new Set(record.episodes.map((e) => e.itemId));
    const own = this.#opts.streams.has(stream)
      ? this.#opts.streams.get(stream).items.filter((id) => !previous.has(id))
      : [];
    await this.#writes.replace(stream, [...own, ...kept.map((e) => e.itemId)]);
    const now = new Set(kept.map((e) => e.itemId));
    for (const id of previous) {
      if (now.has(id) || !this.#opts.library.get(id)) continue;
      await this.#opts.library
        .remove(id)
        .catch((err: unknown) => this.#opts.log.warning(`Could not remove an old episode (${errorMessage(err)})`));
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

/** "1 episode", "3 episodes": read by families in the panel and the log. */
const episodes = (count: number): string => `${count} episode${count === 1 ? "" : "s"}`;
