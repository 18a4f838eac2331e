import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {HiddenEpisode} from "../shared/api/streams.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";

/**
 * The episodes a family hid from a feed stream. Kept apart from the feed's record, under the same
 * stream name: a refresh writes the record whenever its downloads end, and must never write an
 * older list of hidden episodes over a hide made meanwhile.
 */
export interface HiddenRecord {
  episodes: HiddenEpisode[];
  /**
   * The next refresh reads the whole feed, even when its ETag says it is unchanged: a hide or an
   * unhide changes which episodes are kept, and a restart must not forget that.
   */
  reread: boolean;
}

const NAMESPACE = "feed_hidden";

/** Each feed stream's hidden episodes, saved before they count, one change at a time. */
export class HiddenEpisodes {
  readonly #store: StateStore;
  readonly #log: Logger;
  readonly #hidden = new Map<string, HiddenRecord>();
  #saved?: StoreNamespace<HiddenRecord>;
  /** Changes to the hidden lists, one at a time. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(store: StateStore, log: Logger) {
    this.#store = store;
    this.#log = log;
  }

  async load(): Promise<void> {
    this.#saved = this.#store.namespace<HiddenRecord>(NAMESPACE);
    for (const [name, hidden] of await this.#store.entries<HiddenRecord>(NAMESPACE)) this.#hidden.set(name, hidden);
  }

  record(stream: string): HiddenRecord | undefined {
    return this.#hidden.get(stream);
  }

  list(stream: string): HiddenEpisode[] {
    return (this.#hidden.get(stream)?.episodes ?? []).map(({key, title}) => ({key, title}));
  }

  keys(stream: string): Set<string> {
    return new Set(this.#hidden.get(stream)?.episodes.map((h) => h.key));
  }

  /** Hide one episode (asking for a full read of the feed). */
  hide(stream: string, episode: HiddenEpisode): Promise<void> {
    return this.#change(stream, (current) => {
      const list = current?.episodes ?? [];
      const known = list.some((h) => h.key === episode.key);
      return {episodes: known ? list : [...list, {key: episode.key, title: episode.title}], reread: true};
    });
  }

  unhide(stream: string, key: string): Promise<void> {
    return this.#change(stream, (current) => ({
      episodes: (current?.episodes ?? []).filter((h) => h.key !== key),
      reread: true,
    }));
  }

  /** The stream no longer follows that feed: its hidden list goes. */
  forget(stream: string): Promise<void> {
    return this.#change(stream, () => undefined);
  }

  /** The whole feed was read after a hide or unhide: unless another came meanwhile, the ETag may be trusted again. */
  async reread(stream: string, read: HiddenRecord): Promise<void> {
    await this.#change(stream, (current) => {
      if (current !== read) return current;
      return read.episodes.length ? {episodes: read.episodes, reread: false} : undefined;
    }).catch((err: unknown) => {
      // Only costs another full read of the feed at the next refresh.
      this.#log.warning(`Could not save the hidden episodes of stream '${stream}' (${errorMessage(err)})`);
    });
  }

  /**
   * Change a stream's hidden list, saved before it counts, after every earlier change. `undefined`
   * drops the entry.
   */
  #change(stream: string, change: (current?: HiddenRecord) => HiddenRecord | undefined): Promise<void> {
    const run = this.#chain.then(async () => {
      const current = this.#hidden.get(stream);
      const next = change(current);
      if (next === current) return;
      if (next === undefined) {
        await this.#saved?.delete(stream);
        this.#hidden.delete(stream);
      } else {
        await this.#saved?.set(stream, next);
        this.#hidden.set(stream, next);
      }
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }
}

/** " (it hides: 'a', 'b' and 3 more)": a few keys, each short, not a page of them. */
export function hiddenList(hidden: Array<{key: string}>): string {
  if (hidden.length === 0) return " (it hides none)";
  const named = hidden.slice(0, 5).map((h) => `'${h.key.slice(0, 100)}'`);
  return ` (it hides: ${named.join(", ")}${hidden.length > 5 ? ` and ${hidden.length - 5} more` : ""})`;
}
