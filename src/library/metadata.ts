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
export async function probeAudio(file: string): Promise<ProbedMetadata> {
  let meta: IAudioMetadata;
  try {
    meta = mimeForFile(file) === "audio/mpeg" ? await parseMp3Head(file) : await parseWhole(file);
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
// Tags larger than this (a huge embedded picture) are read the slow way, through the whole file.
const MP3_MAX_HEAD = 8 * 1024 * 1024;

/**
 * An MP3's tags and duration from its head alone: the ID3v2 tags, then the first frames, whose
 * Xing/Info/VBRI header (written by every common encoder) gives the exact length. A file without
 * one is read whole. parseFile reads every file in many small pieces; this is one read.
 */
async function parseMp3Head(file: string): Promise<IAudioMetadata> {
  const handle = await open(file, "r");
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    const tagHeader = Buffer.alloc(10);
    await handle.read(tagHeader, 0, 10, 0);
    const tags = id3v2Length(tagHeader);
    if (tags + MP3_AUDIO_WINDOW > MP3_MAX_HEAD) return await parseWhole(file);
    head = Buffer.alloc(Math.min(size, tags + MP3_AUDIO_WINDOW));
    const {bytesRead} = await handle.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
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

/** Loaded on first use: a restart whose index is all cached never needs it (1.3 MB of heap). */
function musicMetadata() {
  return import("music-metadata");
}
