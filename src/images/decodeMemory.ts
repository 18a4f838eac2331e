import type {JpegFrame} from "./jpegFrame.js";
import type {PngLayout} from "./pngChunks.js";

const MIB = 1024 * 1024;

/**
 * The memory a picture's decoder may use, all of it: the data segment of the ffmpeg process that
 * decodes it is capped at this by the kernel (RLIMIT_DATA), so a picture that needs more ends its
 * decoder, never the service. Measured with ffmpeg 5 to 7: a 49-megapixel RGBA PNG needs 350 MB, a
 * 48-megapixel photo 250 MB, a 16×16 icon 100 MB (the libraries' own data).
 */
export const DECODER_MEMORY_BYTES = 448 * MIB;
/** What ffmpeg's libraries hold before a pixel is decoded, within DECODER_MEMORY_BYTES. */
const DECODER_OWN_BYTES = 100 * MIB;
/** The decoded picture's share: what the estimate below must stay within to be tried at all. */
export const PICTURE_MEMORY_BYTES = DECODER_MEMORY_BYTES - DECODER_OWN_BYTES;
/** The decoded frame is scaled and converted in slices: a quarter more than the frame, measured. */
const WORKING_FACTOR = 1.25;

/**
 * What decoding a PNG takes: its frame at its depth (a palette or grey picture one byte a pixel); a
 * grey or RGB picture with transparency is decoded with an alpha channel added (RGB48 as RGBA64).
 */
export function pngDecodeBytes(p: PngLayout): number {
  const sample = p.bitDepth === 16 ? 2 : 1;
  const alpha = p.transparency && (p.colorType === 0 || p.colorType === 2) ? 1 : 0;
  return p.width * p.height * (p.channels + alpha) * sample * WORKING_FACTOR;
}

/**
 * What decoding a JPEG takes: each component's plane at its sampling; a progressive JPEG keeps every
 * block's 64 coefficients (two bytes each) of every component until its last scan, three times the
 * planes (a 587 KB progressive 4:4:4 JPEG of 6900×6900 took ffmpeg to 473 MB).
 */
export function jpegDecodeBytes(f: JpegFrame): number {
  const hMax = Math.max(...f.components.map((c) => c.h));
  const vMax = Math.max(...f.components.map((c) => c.v));
  const sample = f.precision > 8 ? 2 : 1;
  let planes = 0;
  for (const c of f.components) {
    // Blocks are 8×8, whole MCUs: a plane is padded to them.
    const w = Math.ceil(Math.ceil((f.width * c.h) / hMax) / 8) * 8;
    const h = Math.ceil(Math.ceil((f.height * c.v) / vMax) / 8) * 8;
    planes += w * h;
  }
  const coefficients = f.progressive ? planes * 2 : 0;
  return (planes * sample + coefficients) * WORKING_FACTOR;
}

/** What decoding a GIF or WebP takes: its canvas in RGBA, and the frame before it for disposal. */
export function canvasDecodeBytes(width: number, height: number): number {
  return width * height * 4 * 2;
}

export function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / MIB)} MB`;
}
