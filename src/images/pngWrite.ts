import {promisify} from "node:util";
import {crc32, deflate} from "node:zlib";

const deflating = promisify(deflate);
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * An RGBA PNG of 8 bits a sample from its scanlines, each already led by its filter byte
 * (`height × (1 + width × 4)` bytes). The deflate runs on libuv's thread pool, not on the event loop
 * (pngjs's sync writer held it for each of fifty covers in turn).
 */
export async function encodeRgbaPng(width: number, height: number, scanlines: Buffer): Promise<Buffer> {
  if (scanlines.length !== height * (1 + width * 4))
    throw new RangeError(
      `${width}×${height} RGBA scanlines are ${height * (1 + width * 4)} bytes, not ${scanlines.length}`,
    );
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const data = await deflating(scanlines, {level: 6});
  return Buffer.concat([SIGNATURE, pngChunk("IHDR", ihdr), pngChunk("IDAT", data), pngChunk("IEND", Buffer.alloc(0))]);
}

/** One chunk: its length, type, data and the CRC of type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
