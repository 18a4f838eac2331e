import {ImageRefusal} from "./refusal.js";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What a PNG's IHDR says: enough to know what its pixel data inflates to, before inflating it. */
export interface PngLayout {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  /** Samples a pixel: 1 (grey, palette), 2 (grey and alpha), 3 (RGB), 4 (RGBA). */
  channels: number;
  /** The exact bytes its IDAT inflates to: every scanline and its filter byte, per Adam7 pass if interlaced. */
  rawBytes: number;
  /** A tRNS chunk: a grey or RGB picture is decoded with an alpha channel added. */
  transparency: boolean;
}

/** A PNG made of its critical chunks alone, and the IDAT payloads to check before any decoder sees them. */
export interface CriticalPng {
  layout: PngLayout;
  /** The signature, IHDR, PLTE, tRNS, the IDATs and IEND, each as it came (with its CRC). */
  bytes: Buffer;
  data: Buffer[];
}

/** Colour type → samples a pixel, with the bit depths the PNG standard allows for it. */
const COLOUR_TYPES: ReadonlyMap<number, {channels: number; depths: readonly number[]}> = new Map([
  [0, {channels: 1, depths: [1, 2, 4, 8, 16]}],
  [2, {channels: 3, depths: [8, 16]}],
  [3, {channels: 1, depths: [1, 2, 4, 8]}],
  [4, {channels: 2, depths: [8, 16]}],
  [6, {channels: 4, depths: [8, 16]}],
]);

/**
 * The chunks a decoder is given. Text (tEXt, zTXt, iTXt), colour profiles (iCCP), EXIF and the rest
 * are dropped unread: zTXt and iCCP are compressed, and a kilobyte of them can inflate to a gigabyte
 * inside a decoder that never checks (ffmpeg's did). tRNS is kept: it is transparency, not metadata.
 */
const KEPT = new Set(["IHDR", "PLTE", "tRNS", "IDAT", "IEND"]);

/** Adam7's seven passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * Walk a PNG's chunks once (linear in its length), keep the critical ones and read its layout.
 * Throws an ImageRefusal for anything that is not a well-formed PNG; inflates nothing.
 */
export function criticalPng(bytes: Buffer): CriticalPng {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(SIGNATURE)) throw damaged("it has no PNG signature");
  const kept: Buffer[] = [SIGNATURE];
  const data: Buffer[] = [];
  const seen = new Set<string>();
  let layout: IhdrLayout | undefined;
  let at = 8;
  while (at < bytes.length && !seen.has("IEND")) {
    if (at + 12 > bytes.length) throw damaged("it ends inside a chunk");
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const end = at + 12 + length;
    if (!/^[A-Za-z]{4}$/.test(type) || end > bytes.length) throw damaged("a chunk's length runs past the file");
    if (layout === undefined && type !== "IHDR") throw damaged("its first chunk is not IHDR");
    const body = bytes.subarray(at + 8, end - 4);
    if (type === "IHDR") {
      if (layout !== undefined || length !== 13) throw damaged("its IHDR chunk is not one of 13 bytes");
      layout = readLayout(body);
    } else if (type === "IDAT") data.push(body);
    else if (type === "PLTE" || type === "tRNS") checkPalette(type, body, layout as IhdrLayout, seen);
    // An unknown chunk a decoder must understand (its first letter upper case) cannot be dropped.
    else if (!KEPT.has(type) && type.charCodeAt(0) < 0x61) throw damaged(`it needs a chunk no decoder knows (${type})`);
    if (KEPT.has(type)) kept.push(bytes.subarray(at, end));
    seen.add(type);
    at = end;
  }
  if (!layout) throw damaged("it has no IHDR chunk");
  if (data.length === 0) throw damaged("it has no pixel data (IDAT)");
  if (layout.colorType === 3 && !seen.has("PLTE")) throw damaged("it is a palette picture with no palette");
  if (!seen.has("IEND")) kept.push(Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]));
  return {layout: {...layout, transparency: seen.has("tRNS")}, bytes: Buffer.concat(kept), data};
}

/**
 * A palette and its transparency as the PNG standard has them, before the pixel data, once each: a
 * palette of at most 256 colours (a 7 MB PLTE held pngjs for 0.8 s and took 300 MB), tRNS no longer
 * than the palette, or the one grey or RGB sample its colour type has.
 */
function checkPalette(type: "PLTE" | "tRNS", body: Buffer, layout: IhdrLayout, seen: ReadonlySet<string>): void {
  if (seen.has(type)) throw damaged(`it has a second ${type} chunk`);
  if (seen.has("IDAT")) throw damaged(`its ${type} chunk comes after its pixel data`);
  const {colorType} = layout;
  if (type === "PLTE") {
    if (colorType === 0 || colorType === 4) throw damaged("a grey picture has a palette");
    if (body.length === 0 || body.length % 3 !== 0 || body.length > 768)
      throw damaged(`its palette is ${body.length} bytes, not 1 to 256 colours of 3 bytes`);
    return;
  }
  const most = colorType === 3 ? 256 : colorType === 0 ? 2 : colorType === 2 ? 6 : 0;
  const exact = colorType === 0 || colorType === 2;
  if (most === 0 || body.length > most || (exact && body.length !== most))
    throw damaged(`its transparency (tRNS) of ${body.length} bytes does not fit colour type ${colorType}`);
}

/** What IHDR alone says; whether there is transparency is known once the chunks are walked. */
type IhdrLayout = Omit<PngLayout, "transparency">;

function readLayout(ihdr: Buffer): IhdrLayout {
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr.readUInt8(8);
  const colorType = ihdr.readUInt8(9);
  const interlace = ihdr.readUInt8(12);
  const colour = COLOUR_TYPES.get(colorType);
  if (width === 0 || height === 0) throw damaged(`it says it is ${width}×${height} pixels`);
  if (!colour?.depths.includes(bitDepth)) throw damaged(`colour type ${colorType} at ${bitDepth} bits is no PNG's`);
  if (interlace > 1) throw damaged(`interlace method ${interlace} is no PNG's`);
  const layout = {width, height, bitDepth, colorType, interlaced: interlace === 1, channels: colour.channels};
  return {...layout, rawBytes: rawBytes(layout)};
}

/** The bytes the pixel data inflates to, exactly, as the PNG standard lays out scanlines. */
function rawBytes(p: Omit<IhdrLayout, "rawBytes">): number {
  const rowBytes = (w: number) => 1 + Math.ceil((w * p.channels * p.bitDepth) / 8);
  if (!p.interlaced) return p.height * rowBytes(p.width);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = p.width > x0 ? Math.ceil((p.width - x0) / dx) : 0;
    const h = p.height > y0 ? Math.ceil((p.height - y0) / dy) : 0;
    if (w > 0 && h > 0) total += h * rowBytes(w);
  }
  return total;
}

function damaged(why: string): ImageRefusal {
  return new ImageRefusal("damaged", `is not a well-formed PNG: ${why}. Send it again, or another`);
}
