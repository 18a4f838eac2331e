import {open} from "node:fs/promises";
import {KeyedQueue, mapLimited} from "../core/concurrency.js";
import {AppError, errorMessage} from "../core/errors.js";
import {isExecutable} from "../core/findProgram.js";
import type {Library} from "../library/library.js";
import type {LibraryItem} from "../library/types.js";
import {streamPath} from "../links/audioPaths.js";
import type {PublicLinks} from "../links/publicLinks.js";
import type {ArchiveStreamResult} from "../shared/api/archive.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {checkName} from "../streams/model.js";
import type {Streams} from "../streams/streams.js";
import type {ArchiveFolder} from "./archiveFolder.js";
import {type ArchivedFile, type CardRecord, chaptersOf, fileOf, isUploadedAudio, tracksOf} from "./cardRecord.js";
import {OwnStreams} from "./ownStreams.js";
import {SameBytes} from "./sameBytes.js";

export interface PlayablesOptions {
  library: Library;
  streams: Streams;
  links: PublicLinks;
  store: StateStore;
  folder: ArchiveFolder;
  normalize: boolean;
  ffmpegPath: () => string | undefined;
}

/** Archived files made playable at once: as many as the two cores can each give an ffmpeg pass. */
const MAKE_AT_ONCE = 2;

/** One archived track, as something this service can serve: a library item made from its file. */
export interface PlayableTrack {
  ref: string;
  title: string;
  item: LibraryItem;
}

/**
 * Archived audio made playable without Yoto: each file becomes one library item (checked and made MP3
 * like an upload, once per file, remembered by its sha; or the library's own file of the same bytes),
 * so an archived card can be a stream that any player or Home Assistant speaker plays, or a card
 * whose tracks stream from here.
 */
export class ArchivePlayables {
  readonly #opts: PlayablesOptions;
  readonly #once = new KeyedQueue();
  readonly #naming = new KeyedQueue();
  readonly #same: SameBytes;
  readonly #own: OwnStreams;
  #items?: StoreNamespace<string>;

  constructor(opts: PlayablesOptions) {
    this.#opts = opts;
    this.#same = new SameBytes(opts.library);
    this.#own = new OwnStreams(opts.streams);
  }

  start(): void {
    this.#items = this.#opts.store.namespace<string>("archive_items");
    this.#own.start(this.#opts.store);
  }

  /** Each audio track of the card in play order, as library items (made now when not made before). */
  async tracks(record: CardRecord): Promise<PlayableTrack[]> {
    const out: PlayableTrack[] = [];
    for (const {ref, title, file} of audioOf(record)) out.push({ref, title, item: await this.#itemFor(file, title)});
    return out;
  }

  /**
   * The card as a stream, a chapter a track, in order. Unnamed, it is the card's own stream: made
   * again when there is one, else named after the card's title; a stream the family named is
   * never written over. The answer does not wait for an ffmpeg pass: tracks made before (or in the
   * library already) are in at once, the others follow a couple at a time as they are made (the
   * stream's `adding`), and a player asking for the stream meanwhile waits for its first track.
   */
  async stream(record: CardRecord, name?: string): Promise<ArchiveStreamResult> {
    const tracks = audioOf(record);
    const known: Array<LibraryItem | undefined> = [];
    for (const t of tracks) known.push(await this.#known(t.file));
    if (this.#opts.normalize && known.includes(undefined)) this.#checkFfmpeg();
    const made = (signal: AbortSignal) => {
      const toMake = tracks.filter((_, i) => !known[i]);
      const ids = mapLimited(toMake, MAKE_AT_ONCE, (t) => this.#itemFor(t.file, t.title).then((i) => i.id), signal);
      let next = 0;
      return tracks.map((t, i) => {
        const id = known[i]?.id;
        return {title: t.title, id: id === undefined ? (ids[next++] as Promise<string>) : Promise.resolve(id)};
      });
    };
    // One name chosen at a time: two cards of the same title made playable at once get two streams.
    return this.#naming.run("names", async () => {
      const own = await this.#own.of(record);
      const unnamed = own ?? this.#own.fresh(record);
      const stream = name === undefined ? unnamed : checkName("stream", name);
      if (stream !== own && name !== undefined && this.#opts.streams.has(stream))
        throw new AppError(
          "stream_exists",
          `A stream named '${stream}' already exists; pick another name, or leave the name out to use '${unnamed}'`,
          {status: 409},
        );
      const state = await this.#opts.streams.replace(stream, tracks.length > 0 ? [made] : [], undefined, 0);
      if (stream === unnamed) await this.#own.remember(record.cardId, state);
      const url = this.#opts.links.absolute(streamPath(stream));
      return {stream, items: tracks.length, ready: state.items.length, ...(url ? {url} : {})};
    });
  }

  /** The archived card (of these) whose own stream this is, if any. */
  cardOf(stream: string, cardIds: Iterable<string>): Promise<string | undefined> {
    return this.#own.cardOf(stream, cardIds);
  }

  /** Asked before the answer: without ffmpeg no track can be made, and the answer says so. */
  #checkFfmpeg(): void {
    let path: string | undefined;
    try {
      path = this.#opts.ffmpegPath();
    } catch (err) {
      throw new AppError("ffmpeg_missing", errorMessage(err), {status: 503, expose: true});
    }
    if (!path || !isExecutable(path))
      throw new AppError(
        "ffmpeg_missing",
        `ffmpeg cannot be run${path ? ` ('${path}')` : ""}, and it makes archived audio playable: install it, set FFMPEG_PATH, or set audio_normalize to false`,
        {status: 503, expose: true},
      );
  }

  #itemFor(file: ArchivedFile, title: string): Promise<LibraryItem> {
    return this.#once.run(file.sha, async () => (await this.#known(file)) ?? this.#make(file, title));
  }

  /**
   * The item an archived file already is: the one made from it before, or one holding the very
   * same bytes (the family's own copy in a media folder), never a second copy listed beside it.
   */
  async #known(file: ArchivedFile): Promise<LibraryItem | undefined> {
    const known = await this.#items?.get(file.sha);
    const existing = known ? this.#opts.library.get(known) : undefined;
    if (existing) return existing;
    const same = await this.#same.find(file);
    if (same) await this.#items?.set(file.sha, same.id);
    return same;
  }

  /** The file checked and made MP3 like an upload (an ffmpeg pass with audio_normalize). */
  async #make(file: ArchivedFile, title: string): Promise<LibraryItem> {
    // Opened before the upload reads it: a file gone missing is this call's error, not an
    // unhandled one from a stream nobody listens to yet.
    const handle = await open(this.#opts.folder.pathOf(file));
    const item = await this.#opts.library
      .upload({
        body: handle.createReadStream(),
        filename: `${title.replaceAll("/", "-").slice(0, 80)}.${file.ext}`,
        title,
        maxBytes: file.bytes + 1,
        declaredBytes: file.bytes,
        normalize: this.#opts.normalize,
        channels: "stereo",
        ffmpegPath: this.#opts.ffmpegPath(),
        folder: ["archive"],
      })
      .finally(() => handle.close().catch(() => undefined));
    await this.#items?.set(file.sha, item.id);
    return item;
  }
}

/** The card's audio tracks in play order, each with the archived file it plays. */
function audioOf(record: CardRecord): Array<{ref: string; title: string; file: ArchivedFile}> {
  const out: Array<{ref: string; title: string; file: ArchivedFile}> = [];
  for (const chapter of chaptersOf(record.card)) {
    const tracks = tracksOf(chapter);
    for (const track of tracks) {
      if (!isUploadedAudio(track)) continue;
      const ref = track.trackUrl as string;
      const file = fileOf(record, ref);
      if (!file) continue;
      const title = String((tracks.length === 1 ? chapter.title : track.title) ?? track.title ?? record.title);
      out.push({ref, title, file});
    }
  }
  return out;
}
