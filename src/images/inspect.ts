import {canvasDecodeBytes, jpegDecodeBytes, megabytes, PICTURE_MEMORY_BYTES, pngDecodeBytes} from "./decodeMemory.js";
import {jpegFrame} from "./jpegFrame.js";
import {type PictureHeader, pictureHeader} from "./pictureHeader.js";
import {criticalPng} from "./pngChunks.js";
import {checkPngData} from "./pngData.js";
import {ImageRefusal} from "./refusal.js";

/** A picture that may be decoded: within every ceiling, as a decoder is to be given it. */
export interface InspectedPicture extends PictureHeader {
  /** The bytes for the decoder: a PNG's critical chunks only; anything else as it came. */
  bytes: Buffer;
  /** What decoding it is estimated to take (within PICTURE_MEMORY_BYTES). */
  decodeBytes: number;
  /** A PNG's bit depth; 8 for the rest. */
  depth: number;
}

/**
 * The one door every picture someone else sent passes before a decoder sees it (an upload, a card's
 * art, a podcast's cover, an icon, a cover for Home Assistant or the archive). Its header says what it
 * is and how big (image-size); its structure is walked (a PNG's chunks, a JPEG's frame header);
 * what decoding it would take is estimated from that and refused past PICTURE_MEMORY_BYTES; a PNG's
 * compressed metadata is dropped and its pixel data inflated once, counted, and refused past what
 * its size says. Nothing here holds the event loop: the inflate runs on the thread pool. Throws an
 * ImageRefusal, in words, for anything refused.
 */
export async function inspectPicture(bytes: Buffer, signal?: AbortSignal): Promise<InspectedPicture> {
  const header = pictureHeader(bytes);
  if (header.type === "png") {
    const png = criticalPng(bytes);
    const {width, height} = png.layout;
    if (width !== header.width || height !== header.height)
      throw new ImageRefusal("damaged", "is not a well-formed PNG: it says two sizes");
    const decodeBytes = within(header, pngDecodeBytes(png.layout), png.layout.bitDepth);
    await checkPngData(png, signal);
    return {...header, bytes: png.bytes, decodeBytes, depth: png.layout.bitDepth};
  }
  if (header.type === "jpg") {
    const frame = jpegFrame(bytes);
    if (frame.width !== header.width || frame.height !== header.height)
      throw new ImageRefusal("damaged", "is not a well-formed JPEG: it says two sizes. Send it again, or another");
    return {...header, bytes, decodeBytes: within(header, jpegDecodeBytes(frame)), depth: 8};
  }
  return {...header, bytes, decodeBytes: within(header, canvasDecodeBytes(header.width, header.height)), depth: 8};
}

function within(header: PictureHeader, decodeBytes: number, depth = 8): number {
  if (decodeBytes <= PICTURE_MEMORY_BYTES) return decodeBytes;
  const deep = depth === 16 ? " of 16 bits a colour" : "";
  throw new ImageRefusal(
    "memory",
    `is ${header.width}×${header.height} pixels${deep}: reading it would take about ${megabytes(decodeBytes)}, more than the ${megabytes(PICTURE_MEMORY_BYTES)} a picture may use. Save it smaller${deep ? ", or with 8 bits a colour," : ""} and send it again`,
  );
}
