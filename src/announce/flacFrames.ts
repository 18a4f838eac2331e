/**
 * FLAC's own framing, read as it arrives: STREAMINFO, and where each frame ends. ffmpeg's raw
 * FLAC reader holds its first frame back until it has seen ten frame headers (its parser scores
 * them to find real ones), 0.26–0.93 s of a source sent at play speed; frames told apart here come
 * out as soon as the next one begins (flacOgg.ts).
 */

export interface StreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when the encoder did not know it (a FLAC written to a pipe, as a streaming server's is). */
  totalSamples: number;
  /** The 38 bytes of the metadata block (its header with the last-block flag set, and its body). */
  block: Buffer;
}

const crc8Table = table(8, 0x07);
const crc16Table = table(16, 0x8005);

function table(bits: 8 | 16, poly: number): Uint16Array {
  const top = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  const out = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << (bits - 8);
    for (let k = 0; k < 8; k++) c = c & top ? ((c << 1) ^ poly) & mask : (c << 1) & mask;
    out[i] = c;
  }
  return out;
}

export function crc16Step(crc: number, byte: number): number {
  return ((crc << 8) & 0xffff) ^ (crc16Table[(crc >> 8) ^ byte] as number);
}

/** STREAMINFO from its 34-byte body. */
export function streamInfo(body: Buffer): StreamInfo {
  const rateAndMore = body.readUInt32BE(10);
  const sampleRate = rateAndMore >>> 12;
  const channels = ((rateAndMore >>> 9) & 7) + 1;
  const bitsPerSample = ((rateAndMore >>> 4) & 31) + 1;
  const totalSamples = (rateAndMore & 15) * 2 ** 32 + body.readUInt32BE(14);
  const block = Buffer.concat([Buffer.from([0x80, 0, 0, 34]), body.subarray(0, 34)]);
  return {sampleRate, channels, bitsPerSample, totalSamples, block};
}

const BLOCK_SIZES = [0, 192, 576, 1152, 2304, 4608, -8, -16, 256, 512, 1024, 2048, 4096, 8192, 16_384, 32_768];
const RATES = [0, 88_200, 176_400, 192_000, 8000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 96_000];
const BITS = [0, 8, 12, -1, 16, 20, 24, 32];

/**
 * The frame header at `at`: its samples per channel, or "more" when the bytes end inside it, or
 * undefined when it is none. Every field is checked against the stream's own STREAMINFO, and the
 * header's CRC-8, so a sync code found by chance in audio data is no header (1 in 256 at most).
 */
export function frameHeader(buf: Buffer, at: number, info: StreamInfo): number | "more" | undefined {
  if (at + 2 > buf.length) return "more";
  if (buf[at] !== 0xff || ((buf[at + 1] as number) & 0xfe) !== 0xf8) return undefined;
  if (at + 4 > buf.length) return "more";
  const b2 = buf[at + 2] as number;
  const b3 = buf[at + 3] as number;
  const sizeCode = b2 >> 4;
  const rateCode = b2 & 15;
  const channelCode = b3 >> 4;
  const bits = BITS[(b3 >> 1) & 7] as number;
  if (sizeCode === 0 || rateCode === 15 || channelCode > 10 || bits < 0 || (b3 & 1) !== 0) return undefined;
  if (bits > 0 && bits !== info.bitsPerSample) return undefined;
  if ((channelCode < 8 ? channelCode + 1 : 2) !== info.channels) return undefined;
  if (rateCode > 0 && rateCode < 12 && RATES[rateCode] !== info.sampleRate) return undefined;
  // The frame or sample number, coded as UTF-8 is (up to 7 bytes).
  let p = at + 4;
  if (p >= buf.length) return "more";
  const lead = buf[p] as number;
  const extra = lead < 0x80 ? 0 : lead >= 0xfe ? 6 : lead >= 0xfc ? 5 : lead >= 0xf8 ? 4 : lead >= 0xf0 ? 3 : -1;
  const more = extra >= 0 ? extra : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
  if (more < 0 || lead === 0xff) return undefined;
  p += 1 + more;
  p += sizeCode === 6 ? 1 : sizeCode === 7 ? 2 : 0;
  p += rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  if (p >= buf.length) return "more";
  let crc = 0;
  for (let i = at; i < p; i++) crc = crc8Table[crc ^ (buf[i] as number)] as number;
  if (crc !== buf[p]) return undefined;
  for (let i = at + 5; i < at + 5 + more; i++) if (((buf[i] as number) & 0xc0) !== 0x80) return undefined;
  const sizeAt = at + 5 + more;
  const fixed = BLOCK_SIZES[sizeCode] as number;
  if (fixed > 0) return fixed;
  return fixed === -8 ? (buf[sizeAt] as number) + 1 : buf.readUInt16BE(sizeAt) + 1;
}

/**
 * The length STREAMINFO gives, in seconds, from a FLAC's first 42 bytes ("fLaC", then STREAMINFO,
 * always the first metadata block); undefined when they are not there or the encoder did not know it.
 */
export function flacSeconds(head: Buffer): number | undefined {
  if (head.length < 42 || head.subarray(0, 4).toString("latin1") !== "fLaC" || ((head[4] as number) & 0x7f) !== 0)
    return undefined;
  const info = streamInfo(head.subarray(8, 42));
  return info.totalSamples > 0 && info.sampleRate > 0 ? info.totalSamples / info.sampleRate : undefined;
}
