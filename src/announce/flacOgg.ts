import {Transform, type TransformCallback} from "node:stream";
import {crc16Step, frameHeader, type StreamInfo, streamInfo} from "./flacFrames.js";

/** A frame longer than this without a valid CRC at a following header is cut at the next header anyway. */
const MAX_FRAME_BYTES = 1024 * 1024;

const crc32Table = (() => {
  const out = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    out[i] = c >>> 0;
  }
  return out;
})();

function crc32(buf: Buffer): number {
  let crc = 0;
  for (const byte of buf) crc = ((crc << 8) ^ (crc32Table[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return crc;
}

/**
 * Raw FLAC, as a server sends it, rewrapped as Ogg FLAC with one frame to a page: ffmpeg reads an
 * Ogg page's packet as one whole frame and decodes it at once, where its raw FLAC reader waited for
 * ten frames first (flacFrames.ts). Metadata other than STREAMINFO (padding, pictures, tags) is
 * dropped as it passes, never held. `info` is STREAMINFO once read; `samples` counts the samples
 * (per channel) of the frames passed, the stream's length once it ends.
 */
export class FlacToOgg extends Transform {
  info?: StreamInfo;
  samples = 0;
  readonly #onInfo: (info: StreamInfo) => void;
  #phase: "magic" | "block" | "frames" = "magic";
  #pending: Buffer = Buffer.alloc(0);
  /** Bytes of a metadata block still to drop. */
  #skip = 0;
  #lastBlock = false;
  /** Scanned so far in the frame being read, and the CRC-16 of those bytes. */
  #scanned = 0;
  #crc = 0;
  #sequence = 0;
  readonly #serial = 0x59535331;

  constructor(onInfo: (info: StreamInfo) => void = () => undefined) {
    super();
    this.#onInfo = onInfo;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.#take(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    // The last frame ends with the stream (a stream cut inside it is left to the decoder to judge).
    if (this.#phase === "frames" && this.info && this.#pending.length > 0) {
      const samples = frameHeader(this.#pending, 0, this.info);
      if (typeof samples === "number") this.#frame(this.#pending, samples, true);
    }
    done();
  }

  #take(chunk: Buffer): void {
    let data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    while (this.#phase !== "frames") {
      if (this.#skip > 0) {
        const dropped = Math.min(this.#skip, data.length);
        this.#skip -= dropped;
        data = data.subarray(dropped);
        if (this.#skip > 0) break;
        if (this.#lastBlock) this.#startFrames();
        continue;
      }
      if (this.#phase === "magic") {
        if (data.length < 4) break;
        if (data.subarray(0, 4).toString("latin1") !== "fLaC") throw new Error("it is not FLAC");
        data = data.subarray(4);
        this.#phase = "block";
        continue;
      }
      if (data.length < 4) break;
      const type = (data[0] as number) & 0x7f;
      const length = data.readUIntBE(1, 3);
      this.#lastBlock = ((data[0] as number) & 0x80) !== 0;
      if (type === 0) {
        if (data.length < 4 + 34) break;
        this.#streamInfo(streamInfo(data.subarray(4, 4 + 34)));
      } else if (!this.info) throw new Error("its STREAMINFO does not come first");
      data = data.subarray(4);
      this.#skip = length;
      if (length === 0 && this.#lastBlock) this.#startFrames();
    }
    this.#pending = data;
    if (this.#phase === "frames") this.#frames();
  }

  #startFrames(): void {
    this.#phase = "frames";
    this.#scanned = 0;
    this.#crc = 0;
  }

  #streamInfo(info: StreamInfo): void {
    this.info = info;
    this.#onInfo(info);
    // Ogg FLAC's first packet (0x7F "FLAC", version 1.0, one header packet after it) then a Vorbis comment with nothing in it.
    const first = Buffer.concat([Buffer.from("\x7fFLAC\x01\x00\x00\x01fLaC", "latin1"), info.block]);
    first[13] = 0; // STREAMINFO is not the last metadata block here: the comment follows.
    this.#page(first, 0, 0x02);
    this.#page(Buffer.from([0x84, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]), 0, 0);
  }

  /** Frames are cut where a valid header begins with the CRC-16 of what came before it right (zero). */
  #frames(): void {
    const info = this.info as StreamInfo;
    let buf = this.#pending;
    // Whatever is before the first frame (a server's stray bytes) is no audio.
    while (this.#scanned === 0 && buf.length > 0 && frameHeader(buf, 0, info) === undefined) buf = buf.subarray(1);
    while (this.#scanned < buf.length) {
      const at = this.#scanned;
      if (at >= 2) {
        const header = frameHeader(buf, at, info);
        if (header === "more") break;
        if (header !== undefined && (this.#crc === 0 || at > MAX_FRAME_BYTES)) {
          this.#frame(buf.subarray(0, at), frameHeader(buf, 0, info) as number, false);
          buf = buf.subarray(at);
          this.#scanned = 0;
          this.#crc = 0;
          continue;
        }
      }
      this.#crc = crc16Step(this.#crc, buf[at] as number);
      this.#scanned++;
    }
    this.#pending = buf;
  }

  #frame(frame: Buffer, samples: number, last: boolean): void {
    this.samples += samples;
    this.#page(Buffer.from(frame), this.samples, last ? 0x04 : 0);
  }

  /** One packet as Ogg pages (more than one only for a packet over 65,024 bytes). */
  #page(packet: Buffer, granule: number, flags: number): void {
    let offset = 0;
    let continued = false;
    do {
      // A page holds 255 segments: a packet ends in one shorter than 255 bytes, or goes on in the next page.
      const complete = packet.length - offset <= 255 * 255 - 1;
      const size = complete ? packet.length - offset : 255 * 255;
      const lacing = [...Array(Math.floor(size / 255)).fill(255), ...(complete ? [size % 255] : [])];
      const header = Buffer.alloc(27 + lacing.length);
      header.write("OggS", 0, "latin1");
      header[5] = (continued ? 0x01 : 0) | (complete ? flags : flags & 0x02);
      header.writeBigInt64LE(complete ? BigInt(granule) : -1n, 6);
      header.writeUInt32LE(this.#serial, 14);
      header.writeUInt32LE(this.#sequence++, 18);
      header[26] = lacing.length;
      Buffer.from(lacing).copy(header, 27);
      const page = Buffer.concat([header, packet.subarray(offset, offset + size)]);
      page.writeUInt32LE(crc32(page), 22);
      this.push(page);
      offset += size;
      continued = true;
    } while (offset < packet.length);
  }
}
