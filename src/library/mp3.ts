import {type FileHandle, open} from "node:fs/promises";
import {mpegHeader} from "./mpegHeader.js";

/**
 * Where the audio frames of an MP3 file are, so files can be joined into one clean stream: ID3v2
 * at the head, ID3v1/APEv2 at the tail and the Xing/Info/VBRI header frame (which describes one
 * file's length and would confuse a decoder mid-stream) are all left out.
 */
export interface Mp3Payload {
  /** First byte of the first audio frame. */
  start: number;
  /** One past the last audio byte. */
  end: number;
  sampleRate: number;
  channels: 1 | 2;
  /** What was excluded, for logs and tests. */
  skipped: {id3v2: number; infoFrame: number; tail: number};
}

export interface FrameHeader {
  version: 1 | 2 | 2.5;
  bitrate: number;
  sampleRate: number;
  channels: 1 | 2;
  protected: boolean;
  length: number;
}

const HEAD_WINDOW = 64 * 1024;
const TAIL_WINDOW = 64 * 1024;

/** A Layer III frame header at `offset`, or undefined. Free-format and reserved values are refused. */
export function parseFrameHeader(buf: Buffer, offset: number): FrameHeader | undefined {
  const header = mpegHeader(buf, offset);
  if (header?.layer !== 3) return undefined;
  const {version, bitrate, sampleRate, channels, length} = header;
  return {
    version,
    bitrate: bitrate * 1000,
    sampleRate,
    channels,
    protected: ((buf[offset + 1] as number) & 1) === 0,
    length,
  };
}

/** True when the frame at `offset` is an encoder's Xing/Info or VBRI header rather than audio. */
export function isInfoFrame(buf: Buffer, offset: number, header: FrameHeader): boolean {
  const sideInfo = header.version === 1 ? (header.channels === 2 ? 32 : 17) : header.channels === 2 ? 17 : 9;
  const xingAt = offset + 4 + sideInfo + (header.protected ? 2 : 0);
  const tag = buf.toString("latin1", xingAt, xingAt + 4);
  return tag === "Xing" || tag === "Info" || buf.toString("latin1", offset + 36, offset + 40) === "VBRI";
}

/** Read the head and tail of an MP3 file (a path, or a handle the caller keeps) and work out its payload range. */
export async function analyzeMp3(file: string | FileHandle): Promise<Mp3Payload> {
  const handle = typeof file === "string" ? await open(file, "r") : file;
  try {
    const {size} = await handle.stat();
    const read = async (position: number, length: number) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      const {bytesRead} = await handle.read(buf, 0, buf.length, position);
      return buf.subarray(0, bytesRead);
    };

    let start = 0;
    // Several ID3v2 tags may follow each other.
    for (;;) {
      const tagSize = id3v2Length(await read(start, 10));
      if (tagSize === 0) break;
      start += tagSize;
    }
    const id3v2 = start;

    const window = await read(start, HEAD_WINDOW);
    const first = findFirstFrame(window);
    if (!first) throw new Error("no MPEG Layer III audio frames found: is this an MP3 file?");
    start += first.offset;
    let infoFrame = 0;
    if (isInfoFrame(window, first.offset, first.header)) {
      infoFrame = first.header.length;
      start += infoFrame;
    }

    const end = await lastWholeFrameEnd(await payloadEnd(size, read), start, read);
    if (end <= start) throw new Error("the file has tags but no audio frames");
    return {
      start,
      end,
      sampleRate: first.header.sampleRate,
      channels: first.header.channels,
      skipped: {id3v2, infoFrame, tail: size - end},
    };
  } finally {
    if (handle !== file) await handle.close();
  }
}

/** The first frame whose successor also parses: a lone 0xFFE pattern inside a tag is not enough. */
export function findFirstFrame(buf: Buffer): {offset: number; header: FrameHeader} | undefined {
  for (let i = 0; i + 4 <= buf.length; i++) {
    if (buf[i] !== 0xff) continue;
    const header = parseFrameHeader(buf, i);
    if (!header) continue;
    const next = i + header.length;
    if (next + 4 > buf.length || parseFrameHeader(buf, next)) return {offset: i, header};
  }
  return undefined;
}

/** Padding or junk a file may have between its tags and its first frame and still be taken as MP3. */
const MP3_LEAD = 4096;

/**
 * True when `file` is MPEG Layer III audio: past its ID3v2 tags, two frames in a row start within
 * the first few KB. FLAC, AAC (ADTS), Ogg and MP4 never read as that, whatever a server calls them.
 */
export async function isMp3File(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    let start = 0;
    for (let tags = 0; tags < 16; tags++) {
      const {buffer, bytesRead} = await handle.read(Buffer.alloc(10), 0, 10, start);
      const tagSize = id3v2Length(buffer.subarray(0, bytesRead));
      if (tagSize === 0) break;
      start += tagSize;
    }
    // The lead, then room for two of the longest frames (1,441 bytes each).
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(MP3_LEAD + 4096), 0, MP3_LEAD + 4096, start);
    const first = findFirstFrame(buffer.subarray(0, bytesRead));
    return first !== undefined && first.offset <= MP3_LEAD;
  } finally {
    await handle.close();
  }
}

/** Strip ID3v1 ("TAG", 128 bytes) and APEv2 ("APETAGEX" footer) from the end, in either order. */
async function payloadEnd(size: number, read: (position: number, length: number) => Promise<Buffer>): Promise<number> {
  let end = size;
  for (let guard = 0; guard < 4; guard++) {
    const tailStart = Math.max(0, end - TAIL_WINDOW);
    const tail = await read(tailStart, end - tailStart);
    if (tail.length >= 128 && tail.toString("latin1", tail.length - 128, tail.length - 125) === "TAG") {
      end -= 128;
      continue;
    }
    if (tail.length >= 32 && tail.toString("latin1", tail.length - 32, tail.length - 24) === "APETAGEX") {
      const footer = tail.length - 32;
      const tagSize = tail.readUInt32LE(footer + 12);
      const hasHeader = (tail.readUInt32LE(footer + 20) & 0x80000000) !== 0;
      end -= tagSize + (hasHeader ? 32 : 0);
      continue;
    }
    break;
  }
  return end;
}

/**
 * The end of the last complete frame before `end`. A truncated final frame (an interrupted
 * download) or unknown trailing data would otherwise swallow the start of the next file in a stream.
 */
async function lastWholeFrameEnd(
  end: number,
  start: number,
  read: (position: number, length: number) => Promise<Buffer>,
): Promise<number> {
  const from = Math.max(start, end - TAIL_WINDOW);
  const tail = await read(from, end - from);
  const first = findFirstFrame(tail);
  if (!first) return end;
  let at = first.offset;
  for (;;) {
    const header = parseFrameHeader(tail, at);
    if (!header || header.sampleRate !== first.header.sampleRate || at + header.length > tail.length) break;
    at += header.length;
  }
  return from + at;
}

/** Length of the ID3v2 tag (header, body and footer) whose 10-byte header is `head`, or 0 if it is not one. */
export function id3v2Length(head: Buffer): number {
  if (head.length < 10 || head.toString("latin1", 0, 3) !== "ID3") return 0;
  return syncsafe(head, 6) + 10 + ((head[5] as number) & 0x10 ? 10 : 0);
}

function syncsafe(buf: Buffer, offset: number): number {
  return (
    (((buf[offset] as number) & 0x7f) << 21) |
    (((buf[offset + 1] as number) & 0x7f) << 14) |
    (((buf[offset + 2] as number) & 0x7f) << 7) |
    ((buf[offset + 3] as number) & 0x7f)
  );
}
