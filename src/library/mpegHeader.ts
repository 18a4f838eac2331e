/** One MPEG audio frame header (MP3, and MP2/MP1), read from its four bytes. */
export interface MpegHeader {
  /** 1 (MPEG-1), 2 (MPEG-2) or 2.5. */
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  /** kb/s. */
  bitrate: number;
  sampleRate: number;
  channels: 1 | 2;
  /** Bytes of the whole frame, header included. */
  length: number;
}

// kb/s by bitrate index, for MPEG-1 layers I–III and MPEG-2/2.5 layer I and layers II–III.
const BITRATES: Record<string, readonly number[]> = {
  "1-1": [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  "1-2": [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  "1-3": [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2-1": [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  "2-2": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<number, readonly number[]> = {
  1: [44_100, 48_000, 32_000],
  2: [22_050, 24_000, 16_000],
  2.5: [11_025, 12_000, 8000],
};

/** The frame header at `at`, if those four bytes are one (free-format and reserved values are not). */
export function mpegHeader(buf: Buffer, at: number): MpegHeader | undefined {
  if (at + 4 > buf.length) return undefined;
  const b1 = buf[at + 1] as number;
  const b2 = buf[at + 2] as number;
  const b3 = buf[at + 3] as number;
  if (buf[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  // Reserved values, free format, and a reserved emphasis are no header.
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
    return undefined;
  if ((b3 & 3) === 2) return undefined;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const table = BITRATES[version === 1 ? `1-${layer}` : layer === 1 ? "2-1" : "2-2"] as readonly number[];
  const bitrate = table[bitrateIndex] as number;
  const sampleRate = (RATES[version] as readonly number[])[rateIndex] as number;
  const padding = (b2 >> 1) & 1;
  const length =
    layer === 1
      ? (Math.floor((12_000 * bitrate) / sampleRate) + padding) * 4
      : Math.floor(((layer === 3 && version !== 1 ? 72_000 : 144_000) * bitrate) / sampleRate) + padding;
  return {version, layer, bitrate, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, length};
}
