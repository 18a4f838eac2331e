import type {PNG} from "pngjs";
import {AppError} from "../core/errors.js";
import {encodeRgbaPng, type InspectedPicture} from "../images/index.js";

/** pngjs is loaded by the first small picture made big, not at start: a shelf with no art never needs it. */
const pngjs = () => import("pngjs");

/**
 * A small PNG (an icon, at most 64 pixels a side) made `times` as big in whole pixels, each a sharp
 * square, here in the process: no ffmpeg to start for Yoto's 16×16 icons, the commonest pictures
 * (a shelf of fifty new cards would otherwise wait on fifty ffmpeg runs, one at a time). Only an
 * inspected picture comes here: its pixel data is known to inflate to at most 64×64 pixels' worth,
 * so pngjs's inflate, which has no limit of its own, is bounded by what inspect checked. Each output
 * row is made once and copied `times` over, and the PNG is deflated off the event loop.
 */
export async function enlargePixelArt(picture: InspectedPicture, times: number, what: string): Promise<Buffer> {
  const {PNG: Png} = await pngjs();
  let source: PNG;
  try {
    source = Png.sync.read(picture.bytes);
  } catch (err) {
    throw new AppError(
      "bad_picture",
      `${what} could not be read as a PNG: it may be damaged. Send it again, or another`,
      {status: 422, expose: true, cause: err},
    );
  }
  const {width, height, data} = source;
  const outWidth = width * times;
  const rowBytes = 1 + outWidth * 4;
  const scanlines = Buffer.alloc(rowBytes * height * times);
  for (let y = 0; y < height; y++) {
    const first = y * times * rowBytes;
    // Filter byte 0 (none) leads each row; the pixels follow, each one `times` wide.
    for (let x = 0; x < width; x++) {
      const pixel = data.readUInt32BE((y * width + x) * 4);
      for (let i = 0; i < times; i++) scanlines.writeUInt32BE(pixel, first + 1 + (x * times + i) * 4);
    }
    for (let copy = 1; copy < times; copy++)
      scanlines.copy(scanlines, first + copy * rowBytes, first, first + rowBytes);
  }
  return encodeRgbaPng(outWidth, height * times, scanlines);
}
