import type {Readable} from "node:stream";
import type {Segment} from "../files/segment.js";
import {totalLength} from "../streams/slice.js";
import type {Clip} from "./clips.js";
import {type AudioWindow, LiveAudio} from "./liveAudio.js";
import {firstMpegFrame} from "./mpegFrames.js";
import type {EncoderInput, WarmEncoder} from "./warmEncoder.js";

// The clips' format, 128 kb/s: 16,000 bytes a second.
const BYTES_PER_SECOND = 16_000;
// Speech of the longest message (1,000 characters) is a minute or two: about 2 MB.
const MAX_LIVE_BYTES = 8 * 1024 * 1024;
/**
 * A URL played as a stream is a whole track, minutes long: an hour at 128 kb/s. Its input is at
 * most MAX_LIVE_INPUT_BYTES (larger is converted to a file first), so only a low-bitrate one ever
 * grows this far.
 */
export const MAX_LIVE_STREAM_BYTES = 64 * 1024 * 1024;
/** Input converted while it plays; anything larger is converted whole first (as a file). */
export const MAX_LIVE_INPUT_BYTES = 4 * 1024 * 1024;

export interface LiveClipOptions {
  id: string;
  /** Finished audio before it (the chime). */
  before: Segment[];
  input: Buffer | Readable;
  /** "wav" for a speech engine's output (read without probing), "arriving" for audio a server still sends. */
  format?: EncoderInput;
  describe: string;
  /** What the audio may grow to (speech's limit when absent). */
  maxBytes?: number;
  /** Growing past maxBytes ends the clip there instead of failing it (a track cast from a source). */
  endWhenFull?: boolean;
  /** Keep only a window of it (a cast track): it stays `live` once made, never one buffer. */
  window?: AudioWindow;
  encoder: WarmEncoder;
  /** The error the caller gets when the encoder fails (the player has then heard what there was). */
  failure: (err: unknown) => Error;
}

/**
 * A clip whose audio is still being encoded: it plays from `live` until the encoder is done, then
 * becomes one memory segment after `before`, with its length known.
 */
export function startLiveClip(opts: LiveClipOptions): {clip: Clip; stop: () => void} {
  const {id, before} = opts;
  const live = new LiveAudio(opts.maxBytes ?? MAX_LIVE_BYTES, opts.endWhenFull ? "end" : "fail", opts.window);
  const stop = opts.encoder.encode(opts.input, live, opts.format);
  const prefix = totalLength(before);
  const clip: Clip = {
    id,
    segments: before,
    size: prefix,
    seconds: prefix / BYTES_PER_SECOND,
    describe: opts.describe,
    files: [],
    live,
    finished: live.finished.then(
      () => {
        if (opts.window) {
          // Its length is known; its bytes stay in the window its reader moves.
          if (live.size === 0) throw opts.failure(new Error("no audio came out"));
          clip.size = prefix + live.size;
          clip.seconds = clip.size / BYTES_PER_SECOND;
          return;
        }
        const data = live.bytes();
        if (data.length === 0) throw opts.failure(new Error("no audio came out"));
        clip.segments = [
          ...before,
          {file: `announcement ${id}`, start: 0, end: data.length - 1, memory: {data, offset: 0}},
        ];
        clip.size = prefix + data.length;
        clip.seconds = clip.size / BYTES_PER_SECOND;
        clip.live = undefined;
      },
      (err: unknown) => {
        throw opts.failure(err);
      },
    ),
  };
  clip.finished.catch(() => undefined);
  return {clip, stop};
}

/**
 * Where audio ffmpeg can read starts in `head`: at 0 for a container or tag known by its first
 * bytes (ID3, ADTS, RIFF, Ogg, FLAC, MP4, AIFF, Matroska); for MPEG audio, at its first real frame
 * within the first 8 KB (bytes cut mid-frame are dropped); "more" while the bytes so far cannot
 * tell; undefined for what is not audio (an error page, JSON). `ended`: no more bytes will come.
 */
export function audioStart(head: Buffer, ended: boolean): number | "more" | undefined {
  if (head.length < 12) return ended ? undefined : "more";
  const text = (from: number, to: number) => head.subarray(from, to).toString("latin1");
  const adts = head[0] === 0xff && ((head[1] as number) & 0xf6) === 0xf0;
  const known =
    text(0, 3) === "ID3" ||
    adts ||
    ["RIFF", "OggS", "fLaC", "FORM"].includes(text(0, 4)) ||
    text(4, 8) === "ftyp" ||
    head.readUInt32BE(0) === 0x1a45dfa3;
  return known ? 0 : firstMpegFrame(head, ended);
}

/**
 * Whether a whole download starts like audio (audioStart at its first byte): one that does is
 * played while it converts; one that does not is converted first, so a URL that is not audio is
 * refused before the player is touched.
 */
export function looksLikeAudio(head: Buffer): boolean {
  return audioStart(head, true) === 0;
}
