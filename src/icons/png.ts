import type {PNG} from "pngjs";
import {AppError, badRequest} from "../core/errors.js";
import {ImageRefusal, inspectPicture} from "../images/index.js";

export const ICON_SIZE = 16;
/** A 16×16 RGBA PNG is about 1 KB; anything near this limit carries chunks a player will never show. */
export const ICON_MAX_BYTES = 64 * 1024;
/** Images to be converted may be photos, but not arbitrarily large ones. */
export const CONVERT_MAX_BYTES = 8 * 1024 * 1024;
/** A picture made into an icon is decoded here, in the process: 4 megapixels is 16 MB of RGBA. */
export const CONVERT_MAX_PIXELS = 4_000_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** pngjs is loaded by the first icon read or made, not at start: most families never upload one. */
const pngjs = () => import("pngjs");

/**
 * Read a PNG, or say exactly why it is not one. It passes the images' one door first (its chunks
 * walked, its pixel data inflated and counted against its size, its metadata dropped), so pngjs,
 * whose inflate has no limit, only ever reads what is known to fit; and pngjs reads it with its
 * stream parser, the inflate on the thread pool.
 */
export async function readPng(bytes: Buffer, maxBytes: number, maxPixels = CONVERT_MAX_PIXELS): Promise<PNG> {
  if (bytes.length === 0) throw badRequest("The icon is empty: send the PNG file's bytes as the body", "bad_icon");
  if (bytes.length > maxBytes)
    throw badRequest(
      `The icon is ${formatKb(bytes.length)}; the limit is ${formatKb(maxBytes)}: save it as a plain 16×16 PNG`,
      "bad_icon",
    );
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE))
    throw badRequest(`The icon is not a PNG image (${sniff(bytes)}): save it as PNG`, "bad_icon");
  let checked: Buffer;
  try {
    const picture = await inspectPicture(bytes);
    if (picture.width * picture.height > maxPixels)
      throw badRequest(
        `The icon is ${picture.width}×${picture.height} pixels; a picture made into an icon may be at most ${maxPixels / 1_000_000} megapixels: make it smaller`,
        "bad_icon",
      );
    checked = picture.bytes;
  } catch (err) {
    if (!(err instanceof ImageRefusal)) throw err;
    throw new AppError("bad_icon", `The icon ${err.detail}`, {status: err.status === 422 ? 400 : err.status});
  }
  const {PNG} = await pngjs();
  return new Promise((resolve, reject) => {
    new PNG().parse(checked, (err, png) => {
      if (err) reject(badRequest(`The icon is a damaged PNG (${err.message}): export it again`, "bad_icon"));
      else resolve(png);
    });
  });
}

/** A ready icon: a PNG of exactly 16×16 within the size limit. */
export async function validateIcon(bytes: Buffer): Promise<PNG> {
  const png = await readPng(bytes, ICON_MAX_BYTES);
  if (png.width !== ICON_SIZE || png.height !== ICON_SIZE)
    throw badRequest(
      `The icon is ${png.width}×${png.height} pixels; Yoto icons are exactly 16×16 (upload it with convert on to resize it)`,
      "bad_icon",
    );
  return png;
}

/**
 * Any PNG → a 16×16 RGBA PNG. The image is fitted inside the square (aspect kept, transparent
 * margins) by area averaging: every source pixel counts in proportion to the part of a target
 * pixel it covers, so thin lines fade instead of vanishing. Colour is averaged weighted by alpha,
 * so transparent pixels do not darken the edges.
 */
export async function convertToIcon(bytes: Buffer): Promise<Buffer> {
  const src = await readPng(bytes, CONVERT_MAX_BYTES);
  const {PNG} = await pngjs();
  const scale = Math.max(src.width, src.height) / ICON_SIZE;
  const outW = Math.max(1, Math.round(src.width / scale));
  const outH = Math.max(1, Math.round(src.height / scale));
  const offX = Math.floor((ICON_SIZE - outW) / 2);
  const offY = Math.floor((ICON_SIZE - outH) / 2);
  const out = new PNG({width: ICON_SIZE, height: ICON_SIZE});
  out.data.fill(0);
  const sx = src.width / outW;
  const sy = src.height / outH;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const [r, g, b, a] = averageArea(src, x * sx, y * sy, (x + 1) * sx, (y + 1) * sy);
      const i = ((y + offY) * ICON_SIZE + (x + offX)) * 4;
      out.data[i] = r;
      out.data[i + 1] = g;
      out.data[i + 2] = b;
      out.data[i + 3] = a;
    }
  }
  return PNG.sync.write(out, {colorType: 6});
}

/** Mean RGBA over the source rectangle [x0,x1)×[y0,y1), with fractional edge coverage. */
function averageArea(src: PNG, x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
  let weight = 0;
  let alpha = 0;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
    const wy = Math.min(y + 1, y1) - Math.max(y, y0);
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
      const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
      const i = (y * src.width + x) * 4;
      const a = (src.data[i + 3] as number) * w;
      weight += w;
      alpha += a;
      r += (src.data[i] as number) * a;
      g += (src.data[i + 1] as number) * a;
      b += (src.data[i + 2] as number) * a;
    }
  }
  if (alpha === 0) return [0, 0, 0, 0];
  return [Math.round(r / alpha), Math.round(g / alpha), Math.round(b / alpha), Math.round(alpha / weight)];
}

function sniff(bytes: Buffer): string {
  if (bytes.subarray(0, 3).toString("hex") === "ffd8ff") return "it is a JPEG";
  if (bytes.subarray(0, 4).toString("ascii") === "GIF8") return "it is a GIF";
  if (bytes.subarray(0, 4).toString("ascii") === "RIFF") return "it is a WebP or other RIFF file";
  if (/^\s*</.test(bytes.subarray(0, 64).toString("utf8"))) return "it looks like SVG or HTML";
  return "unknown format";
}

function formatKb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
