import {createHash} from "node:crypto";
import {readdir} from "node:fs/promises";
import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {PictureFiles} from "./pictureFiles.js";

/** Where an item's own picture is: a card's art, a story's icon (its image's address). */
export interface OwnSource {
  url: string;
  source: "art" | "story";
  /** "Card 'The Owl'", for the log. */
  what: string;
}

/** What came of making the picture at an address (kept, so a restart fetches nothing again). */
interface MadeRecord {
  url: string;
  file: string | null;
  why?: string;
  /** The bytes at the address were refused as a picture (not a failed fetch): not tried again. */
  refused?: boolean;
  at: number;
}

/** A card may be given new art: where an item's picture is, is asked again this often. */
const SOURCE_KEPT_MS = 6 * 3600_000;
/** An item with no picture of its own (or Yoto out of reach when asked) is asked again after this. */
const NO_SOURCE_KEPT_MS = 10 * 60_000;
/** Art that could not be fetched is tried again after this (a CDN down, a policy changed). */
const FAILED_KEPT_MS = 3600_000;
/**
 * Art whose bytes were refused (damaged, too big, a decompression bomb) is not fetched and read again
 * each hour at the same cost: only after this long, or at once when the card names other art.
 */
const REFUSED_KEPT_MS = 30 * 24 * 3600_000;
const MAX_SOURCES = 5000;
const MADE = "picture_sources";

export interface OwnPicturesDeps {
  files: PictureFiles;
  store: StateStore;
  source(item: string): Promise<OwnSource | undefined>;
  fetch(url: string, what: string): Promise<Buffer>;
  log: Logger;
  now: () => number;
}

/**
 * Items' own pictures: where each is (asked of the cards and stories, and kept a while), and the
 * picture made of each address once, its outcome kept in the store by the address. An address that
 * gives no picture (not an image, too large, out of reach) is said once in the log and the item is
 * drawn instead until it is tried again.
 */
export class OwnPictures {
  readonly #deps: OwnPicturesDeps;
  readonly #sources = new Map<string, {own: OwnSource | null; at: number}>();
  readonly #made = new Map<string, MadeRecord>();
  readonly #making = new Map<string, Promise<void>>();
  #space?: StoreNamespace<MadeRecord>;
  #stopped = false;

  constructor(deps: OwnPicturesDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    this.#space = this.#deps.store.namespace<MadeRecord>(MADE);
    const onDisk = new Set(await readdir(this.#deps.files.dir).catch(() => [] as string[]));
    // A picture gone from disk (a data folder restored without it) is made again.
    for (const [, record] of await this.#deps.store.entries<MadeRecord>(MADE))
      if (record.file === null || onDisk.has(record.file)) this.#made.set(record.url, record);
  }

  /** Waits for the pictures being made; one cut short by the stop is not kept as failed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.allSettled([...this.#making.values()]);
  }

  /** The picture made for an item's own source, when there is one. */
  known(item: string): {file: string; source: OwnSource["source"]} | undefined {
    const own = this.#sources.get(item)?.own;
    const file = own ? this.#made.get(own.url)?.file : undefined;
    return own && file ? {file, source: own.source} : undefined;
  }

  /** Whether an item's source is to be asked, or its picture made (again). */
  wanted(item: string): boolean {
    const known = this.#sources.get(item);
    if (!known || this.#asked(known)) return true;
    return known.own !== null && this.#stale(known.own.url);
  }

  async make(item: string): Promise<void> {
    const known = this.#sources.get(item);
    let own = known?.own ?? null;
    if (!known || this.#asked(known)) {
      try {
        own = (await this.#deps.source(item)) ?? null;
      } catch {
        // Yoto out of reach: asked again on a later read, the item drawn meanwhile.
        return;
      }
      if (this.#sources.size >= MAX_SOURCES) this.#sources.clear();
      this.#sources.set(item, {own, at: this.#deps.now()});
    }
    if (!own || !this.#stale(own.url)) return;
    const running = this.#making.get(own.url);
    if (running !== undefined) return running;
    const making = this.#makeFrom(own).finally(() => this.#making.delete(own.url));
    this.#making.set(own.url, making);
    return making;
  }

  /** The item whose own picture is this file, if one's is. */
  ownerOf(file: string): string | undefined {
    for (const [item, known] of this.#sources)
      if (known.own && this.#made.get(known.own.url)?.file === file) return item;
    return undefined;
  }

  files(): string[] {
    return [...this.#made.values()].flatMap((m) => (m.file ? [m.file] : []));
  }

  counts(): {own: number; failed: number} {
    const made = [...this.#made.values()];
    return {own: made.filter((m) => m.file).length, failed: made.filter((m) => !m.file).length};
  }

  /** Whether what an item's own picture is was asked long enough ago to ask again. */
  #asked(known: {own: OwnSource | null; at: number}): boolean {
    return this.#deps.now() - known.at > (known.own ? SOURCE_KEPT_MS : NO_SOURCE_KEPT_MS);
  }

  #stale(url: string): boolean {
    const made = this.#made.get(url);
    if (!made) return true;
    if (made.file !== null) return false;
    return this.#deps.now() - made.at > (made.refused ? REFUSED_KEPT_MS : FAILED_KEPT_MS);
  }

  async #makeFrom(own: OwnSource): Promise<void> {
    const what = `${own.what}'s ${own.source === "art" ? "art" : "icon"}`;
    let record: MadeRecord;
    try {
      const bytes = await this.#deps.fetch(own.url, what);
      record = {url: own.url, file: await this.#deps.files.make(bytes, what), at: this.#deps.now()};
    } catch (err) {
      // Stopping cuts the fetch short: that is no fault of the art, to be kept for an hour.
      if (this.#stopped) return;
      const why = errorMessage(err);
      if (this.#made.get(own.url)?.why !== why) this.#deps.log.warning(`${why}; it is drawn instead`);
      const refused = err instanceof AppError && err.code === "bad_picture";
      record = {url: own.url, file: null, why, ...(refused ? {refused} : {}), at: this.#deps.now()};
    }
    this.#made.set(own.url, record);
    await this.#space?.set(key(own.url), record).catch(() => undefined);
  }
}

/** A store key for an address of any length. */
function key(url: string): string {
  return createHash("sha256").update(url).digest("hex");
}
