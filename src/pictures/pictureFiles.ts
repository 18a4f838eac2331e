import {createHash, randomUUID} from "node:crypto";
import {mkdir, readdir, rm, stat} from "node:fs/promises";
import path from "node:path";
import {KeyedQueue} from "../core/concurrency.js";
import {diskFullError, isDiskFull} from "../core/diskFull.js";
import {writeDurably} from "../core/durableWrite.js";
import {AppError, errorMessage} from "../core/errors.js";
import {scalePicture} from "../images/index.js";
import {type CheckedPicture, checkPicture, pictureError} from "./pictureCheck.js";
import {enlargePixelArt} from "./pixelArt.js";

/** The longest side served: a cover is 240 px on the page, twice that on a tablet's dense screen. */
export const PICTURE_SIZE = 480;
/** A served picture's name: the sha256 of its bytes, so a name is never reused for other bytes. */
const PICTURE_NAME = /^([0-9a-f]{64})\.(jpg|png)$/;

/**
 * The pictures the service serves, one file each in `<data>/pictures`, named by the sha256 of what
 * is served (two cards with the same art share a file; a browser may keep one for good). Whatever
 * comes in (an upload, a card's art, an icon) is checked from its header, then decoded and scaled
 * by ffmpeg, one at a time, with the pixels bounded: what is served is always a PNG or JPEG this
 * service wrote, never the bytes as they came.
 */
export class PictureFiles {
  readonly dir: string;
  readonly #ffmpegPath: () => string;
  /** One ffmpeg at a time: a parent's uploads and a shelf's art never use the memory of several. */
  readonly #one = new KeyedQueue();
  /**
   * Pictures refused, by the sha256 of their bytes, with the refusal: the same bomb sent again (from
   * another address, by another card) is answered at once, without reading it a second time.
   */
  readonly #refused = new Map<string, {said: string; status: number}>();

  constructor(dir: string, ffmpegPath: () => string) {
    this.dir = dir;
    this.#ffmpegPath = ffmpegPath;
  }

  /** Check `bytes`, make the served picture of them, flushed to disk; answers its file name. */
  async make(bytes: Buffer, what: string): Promise<string> {
    const sha = createHash("sha256").update(bytes).digest("hex");
    const refused = this.#refused.get(sha);
    // Said again of this picture's subject: "The upload …" once may be "Card 'Owl''s art …" now.
    if (refused !== undefined)
      throw new AppError("bad_picture", `${what} ${refused.said}`, {status: refused.status, expose: true});
    try {
      return await this.#checkAndMake(bytes, sha, what);
    } catch (err) {
      if (err instanceof AppError && err.code === "bad_picture" && err.message.startsWith(`${what} `))
        this.#remember(sha, {said: err.message.slice(what.length + 1), status: err.status});
      throw err;
    }
  }

  /** The path of a served picture by its name, or undefined for a name that is none. */
  path(name: string): string | undefined {
    return PICTURE_NAME.test(name) ? path.join(this.dir, name) : undefined;
  }

  /** Whether a picture is on disk (a data folder restored without it, a file removed by hand). */
  async has(name: string): Promise<boolean> {
    const file = this.path(name);
    return (
      file !== undefined &&
      (await stat(file).then(
        (s) => s.size > 0,
        () => false,
      ))
    );
  }

  /** Remove the pictures nothing uses now (and work files a crash left); answers how many went. */
  async sweep(used: ReadonlySet<string>): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      if (used.has(name)) continue;
      // A crash may leave a work file (.work-…) or a write not renamed into place (….tmp).
      if (!PICTURE_NAME.test(name) && !name.startsWith(".work-") && !name.endsWith(".tmp")) continue;
      await rm(path.join(this.dir, name), {force: true});
      removed++;
    }
    return removed;
  }

  async #checkAndMake(bytes: Buffer, sha: string, what: string): Promise<string> {
    const checked = await checkPicture(bytes, what);
    // A picture this service made, sent back (saved from a shelf): the same picture, not a copy of it.
    const own = `${sha}.${checked.type}`;
    if ((checked.type === "png" || checked.type === "jpg") && (await this.has(own))) return own;
    if (checked.pixelArt && checked.type === "png")
      return this.#keep(await enlargePixelArt(checked, pixelTimes(checked), what), "png");
    return this.#one.run("ffmpeg", () => this.#make(checked, what));
  }

  /** The decode, in an ffmpeg the kernel caps (src/images, scalePicture), of the inspected bytes. */
  async #make(checked: CheckedPicture, what: string): Promise<string> {
    const ext = checked.pixelArt ? "png" : "jpg";
    try {
      await mkdir(this.dir, {recursive: true});
      const made = await scalePicture(this.#ffmpegPath(), checked, {
        filter: scaling(checked),
        output: ext === "jpg" ? {codec: "mjpeg", quality: 3} : {codec: "png"},
        workFile: path.join(this.dir, `.work-${randomUUID()}.${checked.type}`),
      }).catch((err: unknown) => {
        throw pictureError(what, err);
      });
      return await this.#keep(made, ext);
    } catch (err) {
      throw diskFull(this.dir, err);
    }
  }

  #remember(sha: string, refusal: {said: string; status: number}): void {
    // A handful of refusals is all a bomb-sender makes: the oldest goes past 256.
    if (this.#refused.size >= 256) this.#refused.delete(this.#refused.keys().next().value as string);
    this.#refused.set(sha, refusal);
  }

  /** The picture written whole and flushed under its name (the sha256 of its bytes). */
  async #keep(made: Buffer, ext: "png" | "jpg"): Promise<string> {
    const name = `${createHash("sha256").update(made).digest("hex")}.${ext}`;
    try {
      await mkdir(this.dir, {recursive: true});
      await writeDurably(path.join(this.dir, name), made);
    } catch (err) {
      throw diskFull(this.dir, err);
    }
    return name;
  }
}

/** How many times pixel art is made bigger: in whole steps, to fit the size served. */
function pixelTimes(p: CheckedPicture): number {
  return Math.max(1, Math.floor(PICTURE_SIZE / Math.max(p.width, p.height)));
}

/** A full disk as the error that names it; anything else as it is. */
function diskFull(dir: string, err: unknown): unknown {
  return isDiskFull(err) || /No space left/i.test(errorMessage(err)) ? diskFullError(dir, err) : err;
}

/**
 * Pixel art made as big as it goes in whole steps, each pixel a sharp square; anything else only
 * ever made smaller, to fit the size served (a small photo stays as sharp as it is).
 */
function scaling(p: CheckedPicture): string {
  if (p.pixelArt) return `scale=iw*${pixelTimes(p)}:ih*${pixelTimes(p)}:flags=neighbor,format=rgba`;
  const s = PICTURE_SIZE;
  return `scale='min(${s},iw)':'min(${s},ih)':force_original_aspect_ratio=decrease,format=yuvj420p`;
}
