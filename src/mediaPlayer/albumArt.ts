import {randomBytes} from "node:crypto";
import {mkdir, readFile, rm} from "node:fs/promises";
import path from "node:path";
import {KeyedQueue} from "../core/concurrency.js";
import {downloadTo} from "../core/download.js";
import {AppError} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {ImageRefusal, inspectPicture, scalePicture} from "../images/index.js";

export interface AlbumArtOptions {
  /** Where a cover is downloaded before it is scaled (removed straight after). */
  workDir: string;
  ffmpegPath: () => string;
  /** The longest side of the JPEG sent; Home Assistant's media card shows it at about this size. */
  size?: number;
  maxBytes?: number;
  timeoutMs?: number;
  /** How many covers are kept scaled (the players' current cards, and a few before). */
  keep?: number;
  /** Where covers may be fetched from. */
  policy?: FetchPolicy;
}

const DEFAULT_SIZE = 300;

/**
 * A card's cover as the integration wants it: JPEG bytes (it always hands Home Assistant
 * `image/jpeg`), base64 in one MQTT message. Covers come at any size from Yoto's CDN; scaled once
 * here, the message stays a few tens of kB, and a card played again costs nothing.
 */
export class AlbumArt {
  readonly #opts: AlbumArtOptions;
  /** URL → its JPEG in base64, most recently used last. */
  readonly #cache = new Map<string, Promise<string>>();
  /** One decode at a time: ten players changing cards at once never start ten decoders. */
  readonly #decoding = new KeyedQueue();

  constructor(opts: AlbumArtOptions) {
    this.#opts = opts;
  }

  /** The cover at `url`, scaled, in base64; rejects with an error that says which URL and why. */
  get(url: string): Promise<string> {
    const cached = this.#cache.get(url);
    if (cached !== undefined) {
      this.#cache.delete(url);
      this.#cache.set(url, cached);
      return cached;
    }
    const made = this.#make(url);
    this.#cache.set(url, made);
    // A failure is not kept: the next time the card plays it is tried again.
    made.catch(() => this.#cache.get(url) === made && this.#cache.delete(url));
    while (this.#cache.size > (this.#opts.keep ?? 16)) this.#cache.delete(this.#cache.keys().next().value as string);
    return made;
  }

  async #make(url: string): Promise<string> {
    await mkdir(this.#opts.workDir, {recursive: true});
    const file = path.join(this.#opts.workDir, `cover-${randomBytes(6).toString("hex")}`);
    const where = url.split("?")[0];
    try {
      const {contentType} = await downloadTo(url, file, {
        maxBytes: this.#opts.maxBytes ?? 5 * 1024 * 1024,
        timeoutMs: this.#opts.timeoutMs ?? 15_000,
        policy: this.#opts.policy,
      });
      if (contentType && !/^image\//i.test(contentType))
        throw new AppError("not_an_image", `The cover at ${where} is ${contentType}, not an image`);
      // Whoever made the card chose its art: it passes the one door, and is read within its ceilings.
      const size = this.#opts.size ?? DEFAULT_SIZE;
      const picture = await inspectPicture(await readFile(file));
      const jpeg = await this.#decoding.run("decode", () =>
        scalePicture(this.#opts.ffmpegPath(), picture, {
          // Never enlarged: a small icon-sized cover stays small rather than blurred.
          filter: `scale='min(${size},iw)':'min(${size},ih)':force_original_aspect_ratio=decrease,format=yuvj420p`,
          output: {codec: "mjpeg", quality: 4},
          workFile: `${file}.${picture.type}`,
        }),
      );
      return jpeg.toString("base64");
    } catch (err) {
      if (err instanceof ImageRefusal)
        throw new AppError("bad_image", `The cover at ${where} ${err.detail}`, {cause: err.cause ?? err});
      throw err;
    } finally {
      await rm(file, {force: true});
    }
  }
}
