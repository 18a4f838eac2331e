import {imageSize} from "image-size";
import {ImageRefusal} from "./refusal.js";

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

export interface PictureHeader {
  type: PictureType;
  width: number;
  height: number;
}

/**
 * What a picture is, read from its header by image-size, which decodes nothing: PNG, JPEG, GIF or
 * WebP, of a size within MAX_PIXELS and MAX_SIDE. SVG is refused whatever it holds: an SVG is a
 * document that may carry script. Throws an ImageRefusal saying what it is instead.
 */
export function pictureHeader(bytes: Uint8Array): PictureHeader {
  if (bytes.length === 0)
    throw new ImageRefusal("empty", "is empty: send the picture's bytes (a PNG, JPEG, GIF or WebP)");
  let size: {width?: number; height?: number; type?: string} | undefined;
  try {
    size = imageSize(bytes);
  } catch {
    size = undefined;
  }
  // An SVG by what image-size reads, or by its text when it reads nothing (an SVG with no size):
  // a raster picture that mentions "<svg" in a comment is still the raster picture.
  if (size?.type === "svg" || (!size && looksLikeSvg(bytes)))
    throw new ImageRefusal(
      "svg",
      "is an SVG: SVG pictures are not taken, as an SVG can carry script. Send a PNG, JPEG, GIF or WebP",
    );
  if (!size)
    throw new ImageRefusal(
      "not_picture",
      `is not a picture: its first bytes are not those of a PNG, JPEG, GIF or WebP${described(bytes)}. Send one of those`,
    );
  const type = TAKEN.get(size.type ?? "");
  if (!type) {
    const kind = String(size.type).toUpperCase();
    throw new ImageRefusal(
      "kind",
      `is ${/^[AEIOU]/.test(kind) ? "an" : "a"} ${kind} picture: only PNG, JPEG, GIF and WebP are taken. Save it as one of those and send it again`,
    );
  }
  const {width = 0, height = 0} = size;
  if (!(width > 0 && height > 0))
    throw new ImageRefusal("damaged", `says it is ${width}×${height} pixels: it is damaged. Send it again, or another`);
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS)
    throw new ImageRefusal(
      "too_big",
      `is ${width}×${height} pixels, more than the ${MAX_PIXELS / 1_000_000} megapixels (and ${MAX_SIDE} pixels a side) taken: make it smaller and send it again`,
    );
  return {type, width, height};
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
