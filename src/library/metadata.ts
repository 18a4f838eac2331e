import {open} from "node:fs/promises";
import path from "node:path";
import type {IAudioMetadata} from "music-metadata";
import {findFirstFrame, id3v2Length, isInfoFrame} from "./mp3.js";
import type {LibraryItem} from "./types.js";

const MIME_BY_EXTENSION: Record<string, string> = {
  ".mp3": "audio/mpeg",
  ".m4a": "audio/mp4",
  ".m4b": "audio/mp4",
  ".mp4": "audio/mp4",
  ".aac": "audio/aac",
  ".ogg": "audio/ogg",
  ".oga": "audio/ogg",
  ".opus": "audio/ogg",
  ".flac": "audio/flac",
  ".wav": "audio/wav",
};

export const AUDIO_EXTENSIONS = new Set(Object.keys(MIME_BY_EXTENSION));

export function mimeForFile(file: string): string {
  return MIME_BY_EXTENSION[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

export type ProbedMetadata = Omit<LibraryItem, "id" | "source" | "relPath" | "size" | "mtimeMs">;

/**
 * Read duration, codec and tags. Throws a readable Error when the file is not audio, so callers
 * can reject an upload or mark a media file as unreadable.
 */
export async function probeAudio(file: string, knownSize?: number): Promise<ProbedMetadata> {
  let meta: IAudioMetadata;
  try {
    meta = mimeForFile(file) === "audio/mpeg" ? await parseMp3Head(file, knownSize) : await parseWhole(file);
  } catch (err) {
    throw new Error(`not a readable audio file (${(err as Error).message})`);
  }
  const {format, common} = meta;
  if (format.hasAudio === false || !format.duration || !(format.codec || format.container)) {
    throw new Error("no audio stream with a known duration was found");
  }
  return {
    title: common.title?.trim() || path.basename(file, path.extname(file)),
    artist: common.artist,
    album: common.album,
    duration: Math.round(format.duration * 1000) / 1000,
    codec: format.codec,
    container: format.container,
    mime: mimeForFile(file),
    bitrate: format.bitrate ? Math.round(format.bitrate) : undefined,
    sampleRate: format.sampleRate,
    channels: format.numberOfChannels,
    hasCover: (common.picture?.length ?? 0) > 0,
  };
}

// Past the tags, this much audio is enough to find the first frame and its Xing/Info header.
const MP3_AUDIO_WINDOW = 64 * 1024;
// Read at once: the tags and first frames of most files (a cover picture may need a second read).
const MP3_FIRST_READ = 80 * 1024;
// Tags larger than this (a huge embedded picture) are read the slow way, through the whole file.
const MP3_MAX_HEAD = 8 * 1024 * 1024;

/**
 * An MP3's tags and duration from its head alone: the ID3v2 tags, then the first frames, whose
 * Xing/Info/VBRI header (written by every common encoder) gives the exact length. A file without
 * one is read whole. parseFile reads every file in many small pieces; this is one read.
 */
async function parseMp3Head(file: string, knownSize?: number): Promise<IAudioMetadata> {
  const handle = await open(file, "r");
  let head: Buffer;
  let size: number;
  try {
    // One read for the head of most files: an open, a read and a close (the size is the scan's, or
    // the read's end), a second read only when the tags are larger than it.
    head = Buffer.allocUnsafe(MP3_FIRST_READ);
    const first = await handle.read(head, 0, head.length, 0);
    head = head.subarray(0, first.bytesRead);
    const tags = id3v2Length(head);
    if (tags + MP3_AUDIO_WINDOW > MP3_MAX_HEAD) return await parseWhole(file);
    size = first.bytesRead < MP3_FIRST_READ ? first.bytesRead : (knownSize ?? (await handle.stat()).size);
    if (head.length < Math.min(size, tags + MP3_AUDIO_WINDOW)) {
      const more = Buffer.allocUnsafe(Math.min(size, tags + MP3_AUDIO_WINDOW));
      const {bytesRead} = await handle.read(more, 0, more.length, 0);
      head = more.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
  // Without an encoder's header the length can only be known by counting frames: read it all.
  const audio = head.subarray(Math.min(head.length, id3v2Length(head)));
  const first = findFirstFrame(audio);
  if (!first || !isInfoFrame(audio, first.offset, first.header)) return parseWhole(file);
  const {parseBuffer} = await musicMetadata();
  return parseBuffer(head, {mimeType: "audio/mpeg", size, path: file}, {duration: false});
}

async function parseWhole(file: string): Promise<IAudioMetadata> {
  const {parseFile} = await musicMetadata();
  return parseFile(file, {duration: true});
}

let loaded: Promise<typeof import("music-metadata")> | undefined;

/**
 * Loaded on first use: a restart whose index is all cached never needs it (1.3 MB of heap). Kept
 * once loaded: resolving the import again for every file was a tenth of a first index.
 */
function musicMetadata() {
  loaded ??= import("music-metadata");
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}
