import {rm} from "node:fs/promises";
import path from "node:path";
import {forEachLimited, KeyedQueue} from "../core/concurrency.js";
import {AppError, errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {Logger} from "../core/logger.js";
import {within} from "../core/within.js";
import type {ChosenPicture, PictureSource} from "../shared/api/pictures.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {iconRef} from "../yoto/cardKeys.js";
import "./types.js";
import {OwnPictures, type OwnSource} from "./ownPictures.js";
import {fetchPicture} from "./pictureFetch.js";
import {PictureFiles} from "./pictureFiles.js";

export type {OwnSource};

/** What the service keeps of a parent's choice. */
interface ChosenRecord {
  item: string;
  from: "upload" | "icon";
  icon?: string;
  file: string;
  at: string;
}

export interface PicturesDeps {
  dataDir: string;
  store: StateStore;
  ffmpegPath: () => string;
  /** Where art a card names may be fetched from. */
  policy?: FetchPolicy;
  bus: EventBus;
  log: Logger;
  /** Where a shelf item's own picture is: a card's art, a story's icon (undefined: it has none). */
  ownSource(item: string): Promise<OwnSource | undefined>;
  /** The image address of one of Yoto's icons, by its `yoto:#<mediaId>` (undefined: no such icon). */
  iconUrl(ref: string): Promise<string | undefined>;
  /** Whether an item id names something a shelf can hold now (a title for messages), or undefined. */
  itemTitle(item: string): Promise<string | undefined>;
  now?: () => number;
}

/** How long a shelf read waits for pictures it has not made yet: after that they come on a later read. */
const PICTURE_WAIT_MS = 1500;
/** At most this many chosen pictures: a picture per thing a family plays, with room to spare. */
export const MAX_CHOSEN = 2000;
const CHOSEN = "pictures";

/**
 * A picture for every shelf item (docs/child.md, "Pictures"): one a parent chose (an upload, or one
 * of Yoto's icons), else its own (a card's art from Yoto, a story's icon), fetched, checked, scaled
 * and kept here, and always served from the service's own origin. What has neither gets a drawing
 * from the shelf.
 */
export class Pictures {
  readonly name = "pictures";
  readonly files: PictureFiles;
  readonly #deps: PicturesDeps;
  readonly #chosen = new Map<string, ChosenRecord>();
  readonly #own: OwnPictures;
  readonly #stopping = new AbortController();
  /**
   * Choices one at a time: a picture a replaced choice leaves is removed, and a second choice
   * making the same picture at that moment would otherwise be left naming a removed file.
   */
  readonly #choosing = new KeyedQueue();
  #space?: StoreNamespace<ChosenRecord>;

  constructor(deps: PicturesDeps) {
    this.#deps = deps;
    this.files = new PictureFiles(path.join(deps.dataDir, "pictures"), deps.ffmpegPath);
    this.#own = new OwnPictures({
      files: this.files,
      store: deps.store,
      source: deps.ownSource,
      fetch: (url, what) => this.#fetch(url, what),
      log: deps.log,
      now: deps.now ?? Date.now,
    });
  }

  async start(): Promise<void> {
    this.#space = this.#deps.store.namespace<ChosenRecord>(CHOSEN);
    for (const [, record] of await this.#deps.store.entries<ChosenRecord>(CHOSEN))
      this.#chosen.set(record.item, record);
    await this.#own.start();
    // A picture nothing uses any more (a choice replaced, art changed) is removed once, at start.
    const used = new Set([...[...this.#chosen.values()].map((c) => c.file), ...this.#own.files()]);
    const removed = await this.files.sweep(used).catch((err: unknown) => {
      this.#deps.log.warning(`Could not tidy the pictures folder (${errorMessage(err)})`);
      return 0;
    });
    if (removed > 0) this.#deps.log.info(`Removed ${removed} picture(s) nothing shows any more`);
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    // Nothing is written once the store may be closing: what is being made and chosen ends first.
    await this.#own.stop();
    await this.#choosing.idle();
  }

  health() {
    return {details: {chosen: this.#chosen.size, ...this.#own.counts()}};
  }

  /** The picture an item has now, if it has one of its own or a chosen one (else the shelf draws one). */
  pictureOf(item: string): {url: string; source: Exclude<PictureSource, "drawing">} | undefined {
    const chosen = this.#chosen.get(item);
    if (chosen) return {url: pictureUrl(chosen.file), source: "chosen"};
    const own = this.#own.known(item);
    return own ? {url: pictureUrl(own.file), source: own.source} : undefined;
  }

  /** Make the own pictures of these items not made yet (or old), waiting at most a moment. */
  async prepare(items: readonly string[]): Promise<void> {
    const wanted = items.filter((item) => !this.#chosen.has(item) && this.#own.wanted(item));
    if (wanted.length === 0) return;
    const made = forEachLimited(wanted, 4, (item) => this.#own.make(item));
    await within(made, PICTURE_WAIT_MS).catch(() => undefined);
  }

  list(): ChosenPicture[] {
    return [...this.#chosen.values()].map(view);
  }

  /** A parent's upload for an item: checked, made, kept on disk, then in the store; then answered. */
  chooseUpload(item: string, bytes: Buffer): Promise<ChosenPicture> {
    return this.#choosing.run("choose", async () => {
      const title = await this.#item(item);
      const file = await this.files.make(bytes, "The upload");
      return this.#keep({item, from: "upload", file, at: new Date(this.#now()).toISOString()}, title);
    });
  }

  /** One of Yoto's icons for an item, made big from its 16×16 pixels. */
  chooseIcon(item: string, icon: string): Promise<ChosenPicture> {
    return this.#choosing.run("choose", () => this.#chooseIcon(item, icon));
  }

  async #chooseIcon(item: string, icon: string): Promise<ChosenPicture> {
    const title = await this.#item(item);
    const ref = iconRef(icon);
    if (!/^yoto:#[A-Za-z0-9_-]{8,128}$/.test(ref))
      throw new AppError(
        "bad_picture",
        `'icon' must be one of Yoto's icons: yoto:# and its mediaId (8 to 128 letters, digits, - or _), as GET /api/icons lists them (got ${JSON.stringify(icon.slice(0, 140))})`,
        {status: 400},
      );
    const url = await this.#deps.iconUrl(ref);
    if (!url)
      throw notFound(
        `No icon '${ref}' among Yoto's icons or the family's: choose one the icon list (GET /api/icons) shows`,
        "no_icon",
      );
    const bytes = await this.#fetch(url, `The icon ${ref}`);
    const file = await this.files.make(bytes, `The icon ${ref}`);
    return this.#keep({item, from: "icon", icon: ref, file, at: new Date(this.#now()).toISOString()}, title);
  }

  /** The item's own picture again; answers whether a chosen one was taken off. */
  clear(item: string): Promise<boolean> {
    return this.#choosing.run("choose", () => this.#clear(item));
  }

  async #clear(item: string): Promise<boolean> {
    if (!this.#chosen.has(item)) return false;
    const before = this.#chosen.get(item)?.file;
    await this.#store().delete(item);
    this.#chosen.delete(item);
    await this.#release(before);
    this.#deps.bus.emit("pictures.changed", {item});
    return true;
  }

  async #keep(record: ChosenRecord, title: string): Promise<ChosenPicture> {
    if (!this.#chosen.has(record.item) && this.#chosen.size >= MAX_CHOSEN)
      throw new AppError(
        "too_many_pictures",
        `${MAX_CHOSEN} items have a chosen picture already: give some their own back (DELETE /api/pictures/<item>) first`,
        {status: 409},
      );
    // Two items with one picture (chosen, or another's own) would look alike: one would be drawn instead.
    const other = this.#chooserOf(record.file, record.item) ?? this.#own.ownerOf(record.file);
    if (other !== undefined && other !== record.item) {
      await this.#release(record.file);
      const otherTitle = (await this.#deps.itemTitle(other).catch(() => undefined)) ?? other;
      throw new AppError(
        "picture_taken",
        `'${otherTitle}' has this picture already, and a child tells the shelf apart by its pictures: choose another, or give '${otherTitle}' its own back first`,
        {status: 409},
      );
    }
    // In the store before the answer: a picture a parent was told is set survives a restart.
    await this.#store().set(record.item, record);
    const before = this.#chosen.get(record.item)?.file;
    this.#chosen.set(record.item, record);
    await this.#release(before);
    this.#deps.log.info(
      `${title} has a picture chosen (${record.from === "icon" ? `icon ${record.icon}` : "an upload"})`,
    );
    this.#deps.bus.emit("pictures.changed", {item: record.item});
    return view(record);
  }

  /** A picture no choice and no own picture shows any more is removed (the store no longer names it). */
  async #release(file: string | undefined): Promise<void> {
    if (!file || this.#chooserOf(file) !== undefined || this.#own.files().includes(file)) return;
    const at = this.files.path(file);
    if (at) await rm(at, {force: true}).catch(() => undefined);
  }

  /** The item (other than `except`) chosen to show this file. */
  #chooserOf(file: string, except?: string): string | undefined {
    for (const c of this.#chosen.values()) if (c.file === file && c.item !== except) return c.item;
    return undefined;
  }

  async #item(item: string): Promise<string> {
    const title = await this.#deps.itemTitle(item);
    if (title === undefined)
      throw notFound(
        `Nothing a shelf can hold is '${item.slice(0, 200)}': a picture is for a shelf item, by its id as GET /api/children/<name>/shelf lists it (card:<id>, story:<id>, stream:<name>, library:<id>, story-radio)`,
        "no_shelf_item",
      );
    return title;
  }

  #fetch(url: string, what: string): Promise<Buffer> {
    return fetchPicture(url, {
      workDir: this.files.dir,
      what,
      signal: this.#stopping.signal,
      ...(this.#deps.policy ? {policy: this.#deps.policy} : {}),
    });
  }

  #store(): StoreNamespace<ChosenRecord> {
    if (!this.#space)
      throw new AppError("not_started", "The pictures are not loaded yet: try again in a moment", {status: 503});
    return this.#space;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }
}

/** Where a picture is served, relative to the panel's address. */
export function pictureUrl(file: string): string {
  return `api/shelf/pictures/${file}`;
}

function view(record: ChosenRecord): ChosenPicture {
  return {
    item: record.item,
    from: record.from,
    ...(record.icon ? {icon: record.icon} : {}),
    url: pictureUrl(record.file),
    at: record.at,
  };
}
