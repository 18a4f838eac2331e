import {deflateSync} from "node:zlib";

/**
 * The media server's own icon, drawn here rather than kept as a file: books on a shelf, white on
 * the service's orange, at the sizes UPnP devices usually list (48 and 120 px PNG). A control point
 * shows it beside the library, where the renderers show their speaker.
 */

export const ICON_SIZES = [48, 120] as const;
export type IconSize = (typeof ICON_SIZES)[number];

const BACKGROUND = [0xf4, 0x6a, 0x2e] as const;
/** Each pixel is the share of 4×4 samples inside a shape: smooth edges at 48 px too. */
const SAMPLES = 4;

/** The shapes on a 0–1 square: the rounded tile, and the white books and shelf on it. */
function tile(x: number, y: number): boolean {
  const r = 0.18;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r;
}

const BOOKS: ReadonlyArray<readonly [left: number, right: number, top: number]> = [
  [0.22, 0.34, 0.3],
  [0.38, 0.48, 0.22],
  [0.52, 0.64, 0.34],
];

function white(x: number, y: number): boolean {
  if (y >= 0.74 && y <= 0.8 && x >= 0.18 && x <= 0.82) return true;
  if (BOOKS.some(([left, right, top]) => x >= left && x <= right && y >= top && y < 0.74)) return true;
  // The fourth book leans on the third.
  const u = (x - 0.7) * Math.cos(0.35) + (y - 0.74) * Math.sin(0.35);
  const v = -(x - 0.7) * Math.sin(0.35) + (y - 0.74) * Math.cos(0.35);
  return u >= -0.05 && u <= 0.06 && v >= -0.44 && v <= 0;
}

/** The icon's pixels, RGBA rows. */
function pixels(size: number): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let inTile = 0;
      let inWhite = 0;
      for (let sy = 0; sy < SAMPLES; sy++)
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          if (!tile(x, y)) continue;
          inTile++;
          if (white(x, y)) inWhite++;
        }
      const share = inTile === 0 ? 0 : inWhite / inTile;
      const at = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) rgba[at + c] = Math.round((BACKGROUND[c] as number) * (1 - share) + 255 * share);
      rgba[at + 3] = Math.round((255 * inTile) / (SAMPLES * SAMPLES));
    }
  return rgba;
}

const CRC_TABLE = Array.from({length: 256}, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG: 8-bit RGBA, each row unfiltered (filter byte 0), deflated once. */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const made = new Map<IconSize, Buffer>();

/** The icon at one of its sizes, drawn once. */
export function libraryIcon(size: IconSize): Buffer {
  let png = made.get(size);
  if (!png) {
    png = encodePng(size, pixels(size));
    made.set(size, png);
  }
  return png;
}
