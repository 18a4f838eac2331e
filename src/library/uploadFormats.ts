import {AppError} from "../core/errors.js";
import {AUDIO_ART_MAX_PIXELS} from "../core/ffmpeg.js";

/**
 * The ffmpeg demuxers an upload may be decoded with. ffmpeg picks a demuxer by sniffing the bytes,
 * whatever the file is called, and some demuxers open other files or URLs the upload names: an
 * HLS playlist whose segment was file:///…/private.mp3 used to be converted and served as if it were
 * the user's audio. These containers read only the bytes that were sent (mov's external references
 * stay off, its default), so an upload is decoded as itself and nothing else.
 */
export const UPLOAD_DEMUXERS = ["mp3", "aac", "mov", "ogg", "flac", "wav", "aiff", "matroska"] as const;

/** The same list in words users know, for error messages. */
export const ACCEPTED_UPLOAD_FORMATS = "MP3, AAC, M4A/M4B/MP4, OGG/Opus, FLAC, WAV, AIFF or MKA/WebM";

/**
 * ffmpeg input options that confine decoding to the upload: only the demuxers above (anything else
 * is refused before its header is read, so a playlist never opens its entries), and only the file
 * protocol, for the one path given.
 */
export function confinedInputOptions(): string[] {
  return ["-protocol_whitelist", "file", "-format_whitelist", UPLOAD_DEMUXERS.join(","), ...AUDIO_ART_MAX_PIXELS];
}

/** Names for the demuxers people most often meet by accident; others are named as ffmpeg calls them. */
const REFUSED_KINDS: Record<string, string> = {
  hls: "a playlist (M3U/HLS)",
  pls: "a playlist (PLS)",
  concat: "a list of other files (ffmpeg concat)",
  image2: "an image",
  dash: "a DASH manifest",
  tty: "a text file",
};

// ffmpeg logs e.g. "[hls @ 0x55b0cc4859c0] Format not on whitelist 'mp3,aac,…'".
const NOT_ON_WHITELIST = /\[([\w,-]+) @ 0x[0-9a-f]+\] Format not on whitelist/;

// Text headers of lists that name other files. ffmpeg refuses them by the whitelist anyway; this
// names them the same way when ffmpeg is not asked (uploads kept as sent) or does not recognise them.
const LIST_HEADERS: Array<[RegExp, string]> = [
  [/^#EXTM3U/, "hls"],
  [/^ffconcat version/, "concat"],
  [/^\[playlist\]/i, "pls"],
];

/** The kind of list the first bytes of a file start, if any ("hls", "concat", "pls"). */
export function sniffList(head: Buffer): string | undefined {
  const text = head.toString("latin1").replace(/^(\xef\xbb\xbf)?\s*/, "");
  return LIST_HEADERS.find(([header]) => header.test(text))?.[1];
}

/** The demuxer ffmpeg recognised but was not allowed to use, from its error output. */
export function refusedDemuxer(ffmpegOutput: string): string | undefined {
  return NOT_ON_WHITELIST.exec(ffmpegOutput)?.[1];
}

/** 415 for an upload whose container is not an audio file of its own. */
export function refusedFormatError(filename: string, demuxer: string): AppError {
  // Single images have their own demuxers, "png_pipe", "jpeg_pipe" and so on.
  const kind = REFUSED_KINDS[demuxer] ?? (demuxer.endsWith("_pipe") ? "an image" : `a '${demuxer}' file`);
  return new AppError(
    "unsupported_format",
    `'${filename}' is ${kind}, not an audio file: upload the audio itself as ${ACCEPTED_UPLOAD_FORMATS} (playlists and files that point to other files are refused)`,
    {status: 415},
  );
}
