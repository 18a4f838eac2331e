import {createDeflate, deflateSync} from "node:zlib";
import {pngChunk} from "../../src/images/index.js";

export {pngChunk};

/**
 * Pictures made to exhaust a decoder, as an attacker sends them (issue 86's list): each small on the
 * wire, each claiming or inflating to far more. Built from the PNG, JPEG, GIF and WebP standards'
 * own layouts, byte by byte, so that no encoder tidies them.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function ihdr(
  width: number,
  height: number,
  opts: {depth?: number; colour?: number; interlaced?: boolean} = {},
) {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([opts.depth ?? 8, opts.colour ?? 6, 0, 0, opts.interlaced ? 1 : 0], 8);
  return pngChunk("IHDR", data);
}

export function png(...chunks: Buffer[]): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ...chunks, pngChunk("IEND", Buffer.alloc(0))]);
}

/** A zlib stream of `bytes` zeros (a gigabyte is about 1 MB of it), made in chunks, never held whole. */
export async function deflatedZeros(bytes: number): Promise<Buffer> {
  const deflate = createDeflate({level: 9});
  const out: Buffer[] = [];
  deflate.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => deflate.on("end", resolve));
  const block = Buffer.alloc(1 << 20);
  for (let left = bytes; left > 0; left -= block.length) {
    const part = left >= block.length ? block : block.subarray(0, left);
    if (!deflate.write(part)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(out);
}

/** A real RGBA PNG of `width`×`height` in one colour (each scanline led by filter byte 0). */
export function plainPng(width: number, height: number, extra: Buffer[] = [], shade = 0x80): Buffer {
  const row = Buffer.alloc(1 + width * 4, shade);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({length: height}, () => row));
  return png(ihdr(width, height), ...extra, pngChunk("IDAT", deflateSync(raw)));
}

/**
 * The bombs, each with the zlib stream of zeros it carries (1 GiB in the issue's). The two whose
 * picture is taken once their metadata is dropped are of `shade` and `shade + 32`, so that sets made
 * with other shades are other pictures.
 */
export function pictureBombs(zeros: Buffer, shade = 0x80): Record<string, Buffer> {
  return {
    // An interlaced 64×64 ("pixel art") whose IDAT inflates to the gigabyte.
    "PNG IDAT": png(ihdr(64, 64, {interlaced: true}), pngChunk("IDAT", zeros)),
    // A real 100×100 picture with a text chunk, then a colour profile, that inflates to it.
    "PNG zTXt": plainPng(
      100,
      100,
      [pngChunk("zTXt", Buffer.concat([Buffer.from("Comment\0\0", "latin1"), zeros]))],
      shade,
    ),
    "PNG iCCP": plainPng(
      100,
      100,
      [pngChunk("iCCP", Buffer.concat([Buffer.from("icc\0\0", "latin1"), zeros]))],
      shade + 32,
    ),
    // 7000×7000 at 16 bits a colour: 392 MB of pixels from a few hundred kilobytes.
    "16-bit PNG": png(ihdr(7000, 7000, {depth: 16}), pngChunk("IDAT", zeros)),
    "progressive JPEG": progressiveJpeg(6900, 6900),
    "GIF with a huge screen": hugeGif(16000, 3000),
    "animated WebP": animatedWebp(8000, 6000),
  };
}

/** A progressive (SOF2) 4:4:4 JPEG's header: every block's coefficients are kept until its last scan. */
export function progressiveJpeg(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc2, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3]);
  const components = Buffer.from([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
  // A JFIF APP0 first, as every encoder writes (header readers expect a segment before the frame).
  const app0 = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, components, Buffer.from([0xff, 0xd9])]);
}

/** A GIF89a whose logical screen is `width`×`height`, with one 1×1 frame in it. */
export function hugeGif(width: number, height: number): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen.set([0x80, 0, 0], 4);
  const palette = Buffer.from([0, 0, 0, 255, 255, 255]);
  const frame = Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4c, 0x01, 0, 0x3b]);
  return Buffer.concat([Buffer.from("GIF89a", "latin1"), screen, palette, frame]);
}

/** An animated WebP (VP8X with the animation flag, ANIM, one ANMF) on a `width`×`height` canvas. */
export function animatedWebp(width: number, height: number): Buffer {
  const riffChunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, "latin1");
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x02;
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const anmf = Buffer.alloc(16);
  anmf.writeUIntLE(0, 6, 3);
  anmf.writeUIntLE(0, 9, 3);
  const body = Buffer.concat([
    Buffer.from("WEBP", "latin1"),
    riffChunk("VP8X", vp8x),
    riffChunk("ANIM", Buffer.alloc(6)),
    riffChunk("ANMF", anmf),
  ]);
  const head = Buffer.alloc(8);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}
