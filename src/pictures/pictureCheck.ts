import {AppError} from "../core/errors.js";
import {ImageRefusal, type InspectedPicture, inspectPicture} from "../images/index.js";

export {MAX_PIXELS, type PictureType} from "../images/index.js";

/** The most bytes a picture may have, uploaded or fetched: a phone's photo is 2 to 5 MB. */
export const MAX_PICTURE_BYTES = 10 * 1024 * 1024;

export interface CheckedPicture extends InspectedPicture {
  /** At most 64 pixels a side: pixel art (Yoto's icons are 16×16), made big without smoothing. */
  pixelArt: boolean;
}

/**
 * A picture a shelf may show, through the images' one door (src/images, inspect): at most
 * MAX_PICTURE_BYTES, a PNG, JPEG, GIF or WebP whose header, structure, pixel data and decoding memory
 * are within their ceilings. `what` names it in errors ("The upload", "The card's art at <url>").
 */
export async function checkPicture(bytes: Buffer, what: string, signal?: AbortSignal): Promise<CheckedPicture> {
  if (bytes.length > MAX_PICTURE_BYTES) throw tooLarge(what, bytes.length);
  try {
    const picture = await inspectPicture(bytes, signal);
    return {...picture, pixelArt: picture.width <= 64 && picture.height <= 64};
  } catch (err) {
    throw pictureError(what, err);
  }
}

/** An ImageRefusal as the answer a parent reads, with its subject; anything else as it is. */
export function pictureError(what: string, err: unknown): unknown {
  if (!(err instanceof ImageRefusal)) return err;
  return new AppError("bad_picture", `${what} ${err.detail}`, {
    status: err.status,
    expose: true,
    cause: err.cause ?? err,
  });
}

/** The answer to a picture past the bytes taken (before or while reading it). */
export function tooLarge(what: string, bytes?: number): AppError {
  const size =
    bytes === undefined ? `more than ${MAX_PICTURE_BYTES / 1024 / 1024} MB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return new AppError(
    "bad_picture",
    `${what} is ${size}: a picture may be at most ${MAX_PICTURE_BYTES / 1024 / 1024} MB. Make it smaller (a phone's photo is 2 to 5 MB) and send it again`,
    {status: 413, expose: true},
  );
}
