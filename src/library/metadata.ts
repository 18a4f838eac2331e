import path from "node:path";
import {parseFile} from "music-metadata";
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
  let meta: Awaited<ReturnType<typeof parseFile>>;
  try {
    meta = await parseFile(file, {duration: true, skipCovers: false});
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
