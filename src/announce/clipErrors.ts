import {shown} from "../core/download.js";
import {AppError, errorMessage} from "../core/errors.js";
import {refusedDemuxer} from "../library/uploadFormats.js";
import type {AnnounceRequest} from "./request.js";

/**
 * The 422 for audio ffmpeg could not convert, saying what it was: a URL's Content-Type (what its
 * server called it), the container ffmpeg refused, or ffmpeg's own words without this machine's paths.
 */
export function notAudio(
  request: AnnounceRequest,
  err: unknown,
  served: string | undefined,
  paths: string[],
): AppError {
  const what =
    request.source.kind === "media"
      ? `${shown(request.source.url)} is not audio this service can play`
      : request.source.kind === "message"
        ? "the speech engine's audio could not be converted"
        : `library item '${request.source.ref}' could not be converted`;
  const demuxer = refusedDemuxer(errorMessage(err));
  const why =
    served !== undefined
      ? servedSaying(served, demuxer)
      : demuxer
        ? `it is a '${demuxer}' file`
        : withoutPaths(errorMessage(err), paths).slice(0, 200);
  return new AppError("not_audio", `${what} (${why})`, {status: 422});
}

/**
 * What a URL that is not audio served, from its Content-Type ("it served 'text/html'"). ffmpeg's
 * own words are not shown for a download: they name the temporary file it was saved to, which
 * says nothing to whoever sent the URL and something about this machine.
 */
function servedSaying(contentType: string, demuxer: string | undefined): string {
  const type = contentType.split(";")[0]?.trim();
  const served = type ? `it served '${type.slice(0, 100)}'` : "it served something without a content type";
  return demuxer ? `${served}, a '${demuxer}' file` : served;
}

/** ffmpeg names the files it read and wrote; those are this service's own, never worth showing. */
function withoutPaths(text: string, paths: string[]): string {
  let out = text;
  for (const p of paths) out = out.split(p).join("<file>");
  return out;
}
