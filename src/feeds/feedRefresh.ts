import {errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {Logger} from "../core/logger.js";
import type {Library} from "../library/library.js";
import type {FeedProgress} from "../shared/api/streams.js";
import type {OwnerWrites} from "../streams/streamOwnership.js";
import type {Streams} from "../streams/streams.js";
import {downloadEpisodes, type EpisodeDownloads, type KeptEpisode} from "./episodeDownloads.js";
import {stillFailingSince} from "./failing.js";
import type {FeedConfig} from "./feedConfig.js";
import {aboutFeed, type FeedParse, notTakenError, parseFeedText, skippedSummary} from "./feedParse.js";
import {fetchFeed, type Validators} from "./fetchFeed.js";
import type {HiddenEpisodes} from "./hiddenEpisodes.js";

/** What a refresh reads and writes beyond the feed: the feeds service's options, less its own. */
export interface FeedRefreshOptions {
  streams: Streams;
  library: Library;
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
}

/** A followed feed as saved: what it is, what its last refresh found, and the episodes it keeps. */
export interface FeedRecord extends Pick<FeedParse, "title" | "image"> {
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

/** The feeds service's side of a refresh: its records, its hidden episodes and whether it stops. */
export interface FeedRefreshContext {
  options: FeedRefreshOptions;
  hidden: HiddenEpisodes;
  /** The queue writes only a feed may make to its streams. */
  writes: OwnerWrites;
  current(stream: string): FeedRecord | undefined;
  save(stream: string, record: FeedRecord): Promise<void>;
  /** Shown though it could not be saved: only a restart forgets it. */
  show(stream: string, record: FeedRecord): void;
  progress(stream: string, progress: FeedProgress): void;
  /** Aborts downloads under way when the service stops, so stopping never waits on the network. */
  signal(): AbortSignal;
  stopped(): boolean;
}

/**
 * One refresh of a feed after another: fetched with conditional requests, parsed, its new episodes
 * downloaded, and the queue switched to them in one change once they are all in. A feed that
 * fails keeps its last good episodes and says why.
 */
export class FeedRefresher {
  readonly #ctx: FeedRefreshContext;
  #parsing: Promise<unknown> = Promise.resolve();

  constructor(ctx: FeedRefreshContext) {
    this.#ctx = ctx;
  }

  /** Never rejects for a bad feed: its record says why, and `feed.refreshed` tells. */
  async refresh(stream: string, record: FeedRecord): Promise<void> {
    const {options, hidden} = this.#ctx;
    const started = Date.now();
    const log = options.log;
    const hiddenAtStart = hidden.record(stream);
    try {
      const missing = record.episodes.some((e) => !options.library.get(e.itemId));
      const answer = await fetchFeed(
        record.config.url,
        missing || hiddenAtStart?.reread ? {} : record.validators,
        options.userAgent,
        options.fetchPolicy,
      );
      if (answer.unchanged) {
        await this.#ctx.save(stream, {...record, checkedAt: started, error: undefined, failingSince: undefined});
        options.bus.emit("feed.refreshed", {
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
        parseFeedText(answer.text, answer.url, record.config, {hidden: hiddenKeys, signal: this.#ctx.signal()}),
      );
      const notTaken = notTakenError(parsed, record.config);
      if (notTaken) throw new Error(notTaken);
      if (parsed.skipped.length) log.info(`Feed of stream '${stream}': ${skippedSummary(parsed)}`);
      const fetched = await downloadEpisodes(this.#downloads(stream), record.episodes, parsed.chosen);
      // One hidden while the episodes downloaded stays out; the refresh after this one fills its place.
      const hiddenNow = hidden.keys(stream);
      const kept = fetched.kept.filter((e) => !hiddenNow.has(e.key));
      const {skipped} = fetched;
      await this.#switchQueue(stream, record, kept);
      const current = this.#ctx.current(stream);
      if (current !== record && current?.config.url !== record.config.url) return; // refollowed meanwhile
      const error = skipped.length
        ? `${episodes(skipped.length)} could not be added: ${skipped.map((s) => `'${s.title}' (${s.reason})`).join("; ")}`
        : undefined;
      await this.#ctx.save(stream, {
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
      if (hiddenAtStart?.reread) await hidden.reread(stream, hiddenAtStart);
      if (error) log.warning(`Feed of stream '${stream}': ${error}`);
      options.bus.emit("feed.refreshed", {stream, ok: !error, changed: true, episodes: kept.length, error});
    } catch (err) {
      if (this.#ctx.stopped()) return;
      await this.#failed(stream, record, started, errorMessage(err));
    }
  }

  /** The last good episodes stay; the record says why and since when, saved if it can be. */
  async #failed(stream: string, record: FeedRecord, started: number, reason: string): Promise<void> {
    const log = this.#ctx.options.log;
    log.warning(
      `The feed of stream '${stream}' could not be refreshed: ${reason}; ${record.episodes.length ? `it keeps its ${episodes(record.episodes.length)}` : "it has no episodes yet"}`,
    );
    const before = this.#ctx.current(stream) ?? record;
    const failed = {...before, checkedAt: started, error: reason, failingSince: stillFailingSince(before, started)};
    await this.#ctx.save(stream, failed).catch((e: unknown) => {
      // Shown all the same (the view, Home Assistant): only a restart forgets it.
      this.#ctx.show(stream, failed);
      log.error(`Could not save the state of the feed of stream '${stream}' (${errorMessage(e)})`);
    });
    this.#ctx.options.bus.emit("feed.refreshed", {
      stream,
      ok: false,
      changed: false,
      episodes: record.episodes.length,
      error: reason,
    });
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
    const o = this.#ctx.options;
    return {
      stream,
      library: o.library,
      downloadDir: o.downloadDir,
      maxBytes: o.maxEpisodeBytes,
      normalize: o.normalize,
      ffmpegPath: o.ffmpegPath,
      fetchPolicy: o.fetchPolicy,
      signal: this.#ctx.signal(),
      stopped: () => this.#ctx.stopped(),
      progress: (p) => {
        this.#ctx.progress(stream, p);
        o.bus.emit("feed.progress", {stream, ...p});
      },
    };
  }

  /**
   * One queue change: the stream's own items (a greeting a rule put first, say) stay in front, the
   * episodes follow; then the episodes no longer kept leave the library.
   */
  async #switchQueue(stream: string, record: FeedRecord, kept: KeptEpisode[]): Promise<void> {
    const {streams, library, log} = this.#ctx.options;
    const previous = new Set(record.episodes.map((e) => e.itemId));
    const own = streams.has(stream) ? streams.get(stream).items.filter((id) => !previous.has(id)) : [];
    await this.#ctx.writes.replace(stream, [...own, ...kept.map((e) => e.itemId)]);
    const now = new Set(kept.map((e) => e.itemId));
    for (const id of previous) {
      if (now.has(id) || !library.get(id)) continue;
      await library
        .remove(id)
        .catch((err: unknown) => log.warning(`Could not remove an old episode (${errorMessage(err)})`));
    }
  }
}

/** "1 episode", "3 episodes": read by families in the panel and the log. */
const episodes = (count: number): string => `${count} episode${count === 1 ? "" : "s"}`;
