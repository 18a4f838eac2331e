import {randomUUID} from "node:crypto";
import {createWriteStream} from "node:fs";
import {link, mkdir, open, readdir, rm} from "node:fs/promises";
import path from "node:path";
import {type Readable, Transform} from "node:stream";
import {pipeline} from "node:stream/promises";
import {diskFullError, isDiskFull} from "../core/diskFull.js";
import {AppError} from "../core/errors.js";
import {AUDIO_EXTENSIONS, probeAudio} from "./metadata.js";
import {isMp3File} from "./mp3.js";
import {type Channels, transcodeToMp3} from "./transcode.js";
import {refusedDemuxer, refusedFormatError, sniffList} from "./uploadFormats.js";

/** Uploads in progress live here, inside the uploads folder so the final rename is atomic. */
export const INCOMING_DIR = ".incoming";

export interface UploadRequest {
  body: Readable;
  /** The name the user gave the file: used for the title and extension, never as a path. */
  filename: string;
  maxBytes: number;
  /** Content-Length when the client sent one, to refuse oversized uploads before reading them. */
  declaredBytes?: number;
  normalize: boolean;
  /**
   * With `normalize`: a file that is MP3 already (its frames checked, not its name) is kept as it
   * is rather than made again; anything else is made MP3 (a media server's track with
   * audio_normalize off: streams join MP3 only).
   */
  keepMp3?: boolean;
  channels: Channels;
  ffmpegPath?: string;
  /** The title to tag it with when it is normalised (else its own tags, else the file name). */
  title?: string;
  /** A folder inside the uploads folder (feed episodes keep to one per stream), as plain name segments. */
  folder?: readonly string[];
}

/**
 * Stream an upload to a temp file, check or transcode it, then rename it into place. Every failure
 * removes what was written, so an interrupted or rejected upload leaves nothing behind. Returns the
 * final absolute path.
 */
export async function storeUpload(uploadsDir: string, req: UploadRequest): Promise<string> {
  const limitMb = Math.round(req.maxBytes / 1024 / 1024);
  if (req.declaredBytes !== undefined && req.declaredBytes > req.maxBytes) {
    throw new AppError("upload_too_large", `Upload is larger than the ${limitMb} MB limit (upload_max_mb)`, {
      status: 413,
    });
  }
  const incoming = path.join(uploadsDir, INCOMING_DIR);
  const token = randomUUID();
  const rawPath = path.join(incoming, `${token}.upload`);
  const convertedPath = path.join(incoming, `${token}.mp3`);
  try {
    await mkdir(incoming, {recursive: true});
    await receive(req, rawPath, limitMb);
    const list = sniffList(await readHead(rawPath));
    if (list) throw refusedFormatError(req.filename, list);
    let ready = rawPath;
    let extension = path.extname(req.filename).toLowerCase();
    // The library reads the kept file's tags and length once it is in place.
    if (req.normalize && req.keepMp3 && (await isMp3File(rawPath))) extension = ".mp3";
    else if (req.normalize) {
      if (!req.ffmpegPath) {
        throw new AppError(
          "ffmpeg_missing",
          req.keepMp3
            ? `'${req.filename}' is not MP3 and ffmpeg is needed to make it MP3 (streams join MP3 only): install it or set FFMPEG_PATH`
            : "ffmpeg is needed to normalise uploads: install it, set FFMPEG_PATH, or set audio_normalize to false",
          {status: 503},
        );
      }
      try {
        await transcodeToMp3(req.ffmpegPath, rawPath, convertedPath, req.channels, req.title);
      } catch (err) {
        throw transcodeError(req.filename, err as Error, [rawPath, convertedPath], uploadsDir);
      }
      ready = convertedPath;
      extension = ".mp3";
    } else {
      if (!AUDIO_EXTENSIONS.has(extension)) {
        throw notAudio(req.filename, `the extension must be one of ${[...AUDIO_EXTENSIONS].join(", ")}`);
      }
      await probeAudio(rawPath).catch((err: Error) => {
        throw notAudio(req.filename, err.message);
      });
    }
    const dir = path.join(uploadsDir, ...folderSegments(req.folder));
    await mkdir(dir, {recursive: true});
    return await placeWithoutClobber(ready, dir, safeBaseName(req.filename), extension);
  } catch (err) {
    // Making the temp folder, writing, converting or linking: whichever step ran out of space.
    throw isDiskFull(err) ? diskFullError(uploadsDir, err) : err;
  } finally {
    await Promise.all([rm(rawPath, {force: true}), rm(convertedPath, {force: true})]);
  }
}

/** Leftovers of uploads cut off by a crash or kill -9 are removed at start. */
export async function removeStaleUploads(uploadsDir: string): Promise<number> {
  const incoming = path.join(uploadsDir, INCOMING_DIR);
  const names = await readdir(incoming).catch(() => [] as string[]);
  await Promise.all(names.map((name) => rm(path.join(incoming, name), {force: true, recursive: true})));
  return names.length;
}

async function receive(req: UploadRequest, target: string, limitMb: number): Promise<void> {
  let received = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > req.maxBytes) {
        callback(
          new AppError("upload_too_large", `Upload is larger than the ${limitMb} MB limit (upload_max_mb)`, {
            status: 413,
          }),
        );
      } else {
        callback(null, chunk);
      }
    },
  });
  try {
    await pipeline(req.body, limiter, createWriteStream(target, {flags: "wx"}));
  } catch (err) {
    if (err instanceof AppError || isDiskFull(err)) throw err;
    throw new AppError(
      "upload_interrupted",
      `Upload of '${req.filename}' was interrupted (${(err as Error).message})`,
      {
        status: 400,
        cause: err,
      },
    );
  }
  if (received === 0)
    throw new AppError("upload_empty", "The upload was empty: send the file as the request body", {status: 400});
}

/**
 * ffmpeg fails for three kinds of reasons: the file (the user's to fix), the disk, or ffmpeg itself.
 * Its messages name the temp files, which mean nothing to the user, so those are taken out.
 */
function transcodeError(
  filename: string,
  err: Error & {code?: string},
  tempPaths: string[],
  uploadsDir: string,
): AppError {
  const refused = refusedDemuxer(err.message);
  if (refused) return refusedFormatError(filename, refused);
  let reason = err.message;
  for (const temp of tempPaths) {
    reason = reason.replaceAll(`file:${temp}: `, "").replaceAll(`${temp}: `, "").replaceAll(temp, "the file");
  }
  if (/No space left on device/i.test(reason)) return diskFullError(uploadsDir, err);
  if (err.code === "ENOENT" || err.code === "EACCES" || /spawn|Cannot find ffmpeg/i.test(reason)) {
    return new AppError("ffmpeg_failed", `ffmpeg could not run (${reason}); check the ffmpeg installation`, {
      status: 500,
      expose: true,
      cause: err,
    });
  }
  return notAudio(filename, reason);
}

/** The first bytes of a file, to recognise what it is before anything decodes it. */
async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function notAudio(filename: string, reason: string): AppError {
  return new AppError("not_audio", `'${filename}' is not audio that can be played (${reason})`, {status: 415});
}

/** Keep letters, digits and a few separators: the name is for humans, never for path lookups. */
export function safeBaseName(filename: string): string {
  const base = path.basename(filename.replaceAll("\\", "/"), path.extname(filename));
  const cleaned = base
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N} ._-]+/gu, "_")
    .replace(/^[.\s]+/, "")
    .trim()
    .slice(0, 100);
  return cleaned || "upload";
}

/**
 * Give the file its final name. link() fails instead of overwriting, so two uploads with the same
 * name at once both survive; the temp name is removed by the caller's cleanup.
 */
async function placeWithoutClobber(ready: string, dir: string, base: string, extension: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, n === 1 ? `${base}${extension}` : `${base} (${n})${extension}`);
    try {
      await link(ready, candidate);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
}

/**
 * Our own folder names only: a segment that could climb out or hide (`..`, `.incoming`) is a bug.
 * Letters, digits, `_` and `-` anywhere: media servers' ids are base64url and may start with either.
 */
function folderSegments(folder: readonly string[] | undefined): string[] {
  for (const segment of folder ?? []) {
    if (!/^[\w-]{1,64}$/.test(segment)) throw new Error(`upload folder segment '${segment}' is not allowed`);
  }
  return [...(folder ?? [])];
}
