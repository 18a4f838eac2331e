import {ImageRefusal} from "./refusal.js";

/** What a JPEG's frame header (SOFn) says: enough to know what decoding it takes. */
export interface JpegFrame {
  width: number;
  height: number;
  /** Bits a sample: 8, or 12 (decoded into 16-bit samples). */
  precision: number;
  /** A progressive JPEG is decoded whole, every coefficient of every block kept, before a pixel is made. */
  progressive: boolean;
  /** Each component's horizontal and vertical sampling factors. */
  components: Array<{h: number; v: number}>;
}

/** Start-of-frame markers (not DHT C4, JPG C8, DAC CC); the progressive ones are C2, C6, CA, CE. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** The frames decoded here: baseline, extended and progressive Huffman (what every camera and browser writes). */
const TAKEN = new Set([0xc0, 0xc1, 0xc2]);
/**
 * The most scans a JPEG may have: a progressive JPEG has about ten; each scan of a progressive one
 * is a pass over every block, so 90,000 tiny scans took ffmpeg 20 s of CPU (libjpeg-turbo's advice).
 */
export const MAX_SCANS = 100;

/**
 * Read a JPEG's frame header, walking its marker segments from start to end (linear; EXIF and colour
 * profiles are stepped over by their lengths, never read, and each scan's data is skipped to the
 * next marker) to its end marker: one frame, of a kind taken, with at most MAX_SCANS scans, and the
 * file whole. Throws an ImageRefusal.
 */
export function jpegFrame(bytes: Buffer): JpegFrame {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw damaged("it has no JPEG start marker");
  let frame: JpegFrame | undefined;
  let scans = 0;
  let ended = false;
  let at = 2;
  while (at + 2 <= bytes.length) {
    if (bytes[at] !== 0xff) throw damaged("a marker is missing where one belongs");
    // Any number of 0xFF fill bytes may stand before a marker.
    while (bytes[at + 1] === 0xff && at + 2 < bytes.length) at++;
    const marker = bytes[at + 1] as number;
    if (marker === 0xd9) {
      ended = true;
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (at + 4 > bytes.length) throw cutShort();
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) throw damaged("a segment's length is less than its own two bytes");
    if (at + 2 + length > bytes.length) throw cutShort();
    if (SOF.has(marker)) {
      if (frame) throw damaged("it has a second frame header");
      if (!TAKEN.has(marker)) throw damaged("its frame is lossless or arithmetic-coded, which browsers do not show");
      frame = readFrame(bytes.subarray(at + 4, at + 2 + length), marker === 0xc2);
    }
    at += 2 + length;
    if (marker === 0xda) {
      if (!frame) throw damaged("it has image data before its frame header");
      if (++scans > MAX_SCANS) throw damaged(`it has more than ${MAX_SCANS} scans`);
      at = scanEnd(bytes, at);
    }
  }
  // Cut short (a download or a copy that stopped early), a decoder draws what it has and fills the
  // rest with one flat colour: a picture that is mostly a green or grey block. Refused instead.
  if (!ended) throw cutShort();
  if (!frame) throw damaged("it has no frame header before its image data");
  return frame;
}

/** Where a scan's entropy-coded data ends: the next marker that is neither a stuffed 0xFF00 nor a restart. */
function scanEnd(bytes: Buffer, from: number): number {
  let at = from;
  while (at + 1 < bytes.length) {
    if (bytes[at] === 0xff) {
      const next = bytes[at + 1] as number;
      if (next !== 0 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) return at;
    }
    at++;
  }
  return bytes.length;
}

function readFrame(sof: Buffer, progressive: boolean): JpegFrame {
  if (sof.length < 6) throw damaged("its frame header is cut short");
  const precision = sof.readUInt8(0);
  const height = sof.readUInt16BE(1);
  const width = sof.readUInt16BE(3);
  const count = sof.readUInt8(5);
  if (count < 1 || count > 4 || sof.length < 6 + count * 3)
    throw damaged(`its frame header names ${count} colour components`);
  // A height of 0 is left to a DNL marker after the first scan: no decoder we run reads that.
  if (width === 0 || height === 0) throw damaged(`it says it is ${width}×${height} pixels`);
  const components: JpegFrame["components"] = [];
  for (let i = 0; i < count; i++) {
    const factors = sof.readUInt8(6 + i * 3 + 1);
    const h = factors >> 4;
    const v = factors & 15;
    if (h < 1 || h > 4 || v < 1 || v > 4) throw damaged("a colour component's sampling is out of range");
    components.push({h, v});
  }
  return {width, height, precision, progressive, components};
}

function cutShort(): ImageRefusal {
  return new ImageRefusal(
    "damaged",
    "is cut short: its JPEG data stops before the picture's end, so part of it is missing (a download or copy that stopped early). Send the whole file again, or another",
  );
}

function damaged(why: string): ImageRefusal {
  return new ImageRefusal("damaged", `is not a well-formed JPEG: ${why}. Send it again, or another`);
}
