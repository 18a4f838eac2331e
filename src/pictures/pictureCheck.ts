import {imageSize} from "image-size";
import {AppError} from "../core/errors.js";

/** The most bytes a picture may have, uploaded or fetched: a phone's photo is 2 to 5 MB. */
export const MAX_PICTURE_BYTES = 10 * 1024 * 1024;

/** The kinds of picture taken: what every browser shows and ffmpeg reads. */
export type PictureType = "png" | "jpg" | "gif" | "webp";
const TAKEN: ReadonlyMap<string, PictureType> = new Map([
  ["png", "png"],
  ["jpg", "jpg"],
  ["gif", "gif"],
  ["webp", "webp"],
]);
/** A phone's photo is 12 to 48 megapixels; past this a picture is a trap (a "PNG bomb"), not a photo. */
export const MAX_PIXELS = 50_000_000;
export const MAX_SIDE = 16_384;

export interface CheckedPicture {
  type: PictureType;
  width: number;
  height: number;
  /** At most 64 pixels a side: pixel art (Yoto's icons are 16×16), made big without smoothing. */
  pixelArt: boolean;
}

/**
 * What a picture is, read from its header before anything decodes it: PNG, JPEG, GIF or WebP, of a
 * size that can be decoded in bounded memory. `what` names it in errors ("The upload", "The card's
 * art at <url>"). SVG is refused whatever it holds: an SVG is a document that may carry script.
 */
export function checkPicture(bytes: Uint8Array, what: string): CheckedPicture {
  if (bytes.length === 0) throw refused(`${what} is empty: send the picture's bytes (a PNG, JPEG, GIF or WebP)`, 400);
  if (bytes.length > MAX_PICTURE_BYTES) throw tooLarge(what, bytes.length);
  let size: {width?: number; height?: number; type?: string} | undefined;
  try {
    size = imageSize(bytes);
  } catch {
    size = undefined;
  }
  // An SVG by what image-size reads, or by its text when it reads nothing (an SVG with no size):
  // a raster picture that mentions "<svg" in a comment is still the raster picture.
  if (size?.type === "svg" || (!size && looksLikeSvg(bytes)))
    throw refused(
      `${what} is an SVG: SVG pictures are not taken, as an SVG can carry script. Send a PNG, JPEG, GIF or WebP`,
      415,
    );
  if (!size)
    throw refused(
      `${what} is not a picture: its first bytes are not those of a PNG, JPEG, GIF or WebP${described(bytes)}. Send one of those`,
      415,
    );
  const type = TAKEN.get(size.type ?? "");
  if (!type)
    throw refused(
      `${what} is ${/^[AEIOU]/.test(String(size.type).toUpperCase()) ? "an" : "a"} ${String(size.type).toUpperCase()} picture: only PNG, JPEG, GIF and WebP are taken. Save it as one of those and send it again`,
      415,
    );
  const {width = 0, height = 0} = size;
  if (!(width > 0 && height > 0)) throw refused(`${what} says it is ${width}×${height} pixels: it is damaged`, 422);
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS)
    throw refused(
      `${what} is ${width}×${height} pixels, more than the ${MAX_PIXELS / 1_000_000} megapixels (and ${MAX_SIDE} pixels a side) taken: make it smaller and send it again`,
      413,
    );
  // A PNG of 16 bits a colour decodes to twice the memory of one of 8: half the pixels are taken.
  if (type === "png" && bytes[24] === 16 && width * height > MAX_PIXELS / 2)
    throw refused(
      `${what} is ${width}×${height} pixels of 16 bits a colour, more than the ${MAX_PIXELS / 2_000_000} megapixels taken at that depth: save it with 8 bits a colour, or smaller, and send it again`,
      413,
    );
  return {type, width, height, pixelArt: width <= 64 && height <= 64};
}

/** The answer to a picture past the bytes taken (before or while reading it). */
export function tooLarge(what: string, bytes?: number): AppError {
  const size =
    bytes === undefined ? `more than ${MAX_PICTURE_BYTES / 1024 / 1024} MB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return refused(
    `${what} is ${size}: a picture may be at most ${MAX_PICTURE_BYTES / 1024 / 1024} MB. Make it smaller (a phone's photo is 2 to 5 MB) and send it again`,
    413,
  );
}

function refused(message: string, status: number): AppError {
  return new AppError("bad_picture", message, {status, expose: true});
}

/** An SVG by its text, with or without a size (a byte-order mark, an XML declaration, a comment first). */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1").toLowerCase();
  return head.includes("<svg");
}

/** A hint of what came instead: a web page, JSON, text. */
function described(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 64)).toString("latin1").trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return " (it is a web page)";
  if (head.startsWith("{") || head.startsWith("[")) return " (it is JSON)";
  return "";
}
