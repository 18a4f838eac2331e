import {randomUUID} from "node:crypto";
import {mkdir, readFile, rename, rm, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {KeyedQueue} from "../core/concurrency.js";
import {AppError, errorMessage} from "../core/errors.js";
import {ImageRefusal, inspectPicture, scalePicture} from "../images/index.js";

/** DLNA's JPEG_TN profile: at most 160 × 160 pixels. */
export const THUMBNAIL_SIZE = 160;

/**
 * Archived covers as small JPEGs for media browsers (UPnP's albumArtURI, DLNA JPEG_TN): scaled by
 * ffmpeg once per cover file (by its sha, so a cover shared by cards is made once) and kept on disk
 * beside the archive, so a browse that lists fifty cards costs fifty file reads, not fifty ffmpeg runs.
 */
export class CoverThumbnails {
  readonly #dir: string;
  readonly #ffmpegPath: () => string;
  readonly #once = new KeyedQueue();
  /** One decode at a time: a browser listing fifty archived cards never starts fifty decoders. */
  readonly #decoding = new KeyedQueue();

  constructor(dir: string, ffmpegPath: () => string) {
    this.#dir = dir;
    this.#ffmpegPath = ffmpegPath;
  }

  /** The thumbnail's path for the cover at `source` (named by its sha), made now when not made before. */
  thumbnail(source: string, sha: string): Promise<string> {
    const target = path.join(this.#dir, `${sha}-${THUMBNAIL_SIZE}.jpg`);
    return this.#once.run(sha, async () => {
      if (await exists(target)) return target;
      await mkdir(this.#dir, {recursive: true});
      // Written aside and renamed: a reader never sees half a JPEG.
      const temp = path.join(this.#dir, `.${randomUUID()}.jpg`);
      // Never enlarged: a cover smaller than a thumbnail stays as sharp as it is.
      const size = THUMBNAIL_SIZE;
      const scale = `scale='min(${size},iw)':'min(${size},ih)':force_original_aspect_ratio=decrease`;
      try {
        // An archived cover is still art someone else made: it passes the one door, read within its ceilings.
        const picture = await inspectPicture(await readFile(source));
        const jpeg = await this.#decoding.run("decode", () =>
          scalePicture(this.#ffmpegPath(), picture, {
            filter: `${scale},format=yuvj420p`,
            output: {codec: "mjpeg", quality: 4},
            workFile: `${temp}.${picture.type}`,
          }),
        );
        await writeFile(temp, jpeg);
        await rename(temp, target);
      } catch (err) {
        await rm(temp, {force: true});
        const why = err instanceof ImageRefusal ? `it ${err.detail}` : errorMessage(err);
        throw new AppError("bad_cover", `The archived cover could not be made a thumbnail: ${why}`, {
          status: 500,
          expose: true,
          cause: err,
        });
      }
      return target;
    });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
