import {open} from "node:fs/promises";
import {KeyedQueue, mapLimited} from "../core/concurrency.js";
import {AppError} from "../core/errors.js";
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
 * Archived audio made playable without Yoto: each file becomes a library item (checked and made MP3
 * like an upload, once per file, remembered by its sha), so an archived card can be a stream that
 * any player or Home Assistant speaker plays, or a card whose tracks stream from here.
 */
export class ArchivePlayables {
  readonly #opts: PlayablesOptions;
  readonly #once = new KeyedQueue();
  #items?: StoreNamespace<string>;

  constructor(opts: PlayablesOptions) {
    this.#opts = opts;
  }

  start(): void {
    this.#items = this.#opts.store.namespace<string>("archive_items");
  }

  /** Each audio track of the card in play order, as library items (made now when not made before). */
  async tracks(record: CardRecord): Promise<PlayableTrack[]> {
    const out: PlayableTrack[] = [];
    for (const {ref, title, file} of audioOf(record)) out.push({ref, title, item: await this.#itemFor(file, title)});
    return out;
  }

  /** The card as a stream, a chapter a track, in order; the stream is replaced if it exists. */
  async stream(record: CardRecord, name?: string): Promise<ArchiveStreamResult> {
    const own = `archive-${record.cardId.toLowerCase()}`;
    const stream = checkName("stream", name ?? own);
    // Never over a queue the family made: only the card's own stream is made again.
    if (stream !== own && this.#opts.streams.has(stream))
      throw new AppError(
        "stream_exists",
        `A stream named '${stream}' already exists; pick another name, or leave the name out to use '${own}'`,
        {status: 409},
      );
    const tracks = audioOf(record);
    // The answer comes with the first track in; the others follow into the stream as they are made
    // (its `adding` shows how far), a couple at a time: each may be an ffmpeg pass.
    const made = (signal: AbortSignal) => {
      const ids = mapLimited(tracks, MAKE_AT_ONCE, (t) => this.#itemFor(t.file, t.title).then((i) => i.id), signal);
      return tracks.map((t, i) => ({title: t.title, id: ids[i] as Promise<string>}));
    };
    const state = await this.#opts.streams.replace(stream, tracks.length > 0 ? [made] : []);
    const url = this.#opts.links.absolute(streamPath(stream));
    return {stream, items: tracks.length, ready: state.items.length, ...(url ? {url} : {})};
  }

  #itemFor(file: ArchivedFile, title: string): Promise<LibraryItem> {
    return this.#once.run(file.sha, async () => {
      const known = await this.#items?.get(file.sha);
      const existing = known ? this.#opts.library.get(known) : undefined;
      if (existing) return existing;
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
    });
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
