import {type MpegHeader, mpegHeader} from "../library/mpegHeader.js";

/**
 * MPEG audio frames (MP3, and MP2/MP1) found by their headers, so audio that begins part-way
 * through a frame (a file cut at any byte, a stream joined mid-way) starts at its first whole one.
 * A sync word alone is found by chance in any binary (and 1 in 2,048 byte pairs of noise): a frame
 * counts only when another valid header, of the same version, layer and rate, follows at exactly
 * its computed length.
 */

/** How far into the bytes a first frame is looked for: a cut leaves at most one partial frame (≤ 2,881 bytes). */
export const MPEG_SEARCH_BYTES = 8192;
/** The longest MPEG audio frame (Layer III, MPEG-2.5 at 8 kHz and 160 kb/s), plus the next header. */
const MAX_FRAME_BYTES = 2881 + 4;

/**
 * Where the first real frame starts within the first MPEG_SEARCH_BYTES: a number; "more" when the
 * bytes so far cannot tell yet (a candidate's follower has not arrived); undefined when there is none.
 * `ended`: nothing more will come, so a frame that ends exactly at the end counts. Linear: each
 * offset is looked at once, with a constant amount of work.
 */
export function firstMpegFrame(buf: Buffer, ended: boolean): number | "more" | undefined {
  const last = Math.min(buf.length, MPEG_SEARCH_BYTES);
  for (let at = 0; at < last; at++) {
    const header = mpegHeader(buf, at);
    if (!header) {
      // A header cut by the end of what came may still be one.
      if (!ended && at + 4 > buf.length && buf[at] === 0xff) return "more";
      continue;
    }
    const next = at + header.length;
    if (next + 4 <= buf.length) {
      if (sameStream(header, mpegHeader(buf, next))) return at;
      continue;
    }
    if (ended) {
      if (next === buf.length) return at;
      continue;
    }
    return "more";
  }
  if (!ended && buf.length < MPEG_SEARCH_BYTES) return "more";
  return undefined;
}

function sameStream(a: MpegHeader, b: MpegHeader | undefined): boolean {
  return b !== undefined && a.version === b.version && a.layer === b.layer && a.sampleRate === b.sampleRate;
}

/**
 * Whether `head` is MPEG audio from its first byte: a frame header there, or an ID3v2 tag with one
 * right after it (ffmpeg tags every MP3 it writes, a streaming server's too). A tag ending past
 * `head`, or followed by anything else (ID3 before AAC), is left to ffmpeg's probe.
 */
export function startsAsMpeg(head: Buffer): boolean {
  if (head.subarray(0, 3).toString("latin1") !== "ID3") return mpegHeader(head, 0) !== undefined;
  if (head.length < 10) return false;
  // The tag's size: four bytes of seven bits each, a footer of ten more when its flag says so.
  const size = [6, 7, 8, 9].reduce((n, i) => n * 128 + ((head[i] as number) & 0x7f), 0);
  const end = 10 + size + (((head[5] as number) & 0x10) !== 0 ? 10 : 0);
  return mpegHeader(head, end) !== undefined;
}

/** Bytes enough to decide where audio starts in any source (the search, and a frame past it). */
export const AUDIO_SNIFF_LIMIT = MPEG_SEARCH_BYTES + MAX_FRAME_BYTES;
