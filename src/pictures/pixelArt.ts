import {PNG} from "pngjs";
import {AppError} from "../core/errors.js";

/**
 * A small PNG (an icon, at most 64 pixels a side) made `times` as big in whole pixels, each a sharp
 * square, here in the process: no ffmpeg to start for Yoto's 16×16 icons, the commonest pictures
 * (a shelf of fifty new cards would otherwise wait on fifty ffmpeg runs, one at a time).
 */
export function enlargePixelArt(bytes: Buffer, times: number, what: string): Buffer {
  let source: PNG;
  try {
    source = PNG.sync.read(bytes);
  } catch (err) {
    throw new AppError(
      "bad_picture",
      `${what} could not be read as a PNG: it may be damaged. Send it again, or another`,
      {status: 422, cause: err},
    );
  }
  const {width, height, data} = source;
  const out = new PNG({width: width * times, height: height * times});
  for (let y = 0; y < out.height; y++) {
    const from = Math.floor(y / times) * width;
    for (let x = 0; x < out.width; x++) {
      const at = (from + Math.floor(x / times)) * 4;
      out.data.set(data.subarray(at, at + 4), (y * out.width + x) * 4);
    }
  }
  return PNG.sync.write(out);
}
