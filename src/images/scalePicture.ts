import {rm, writeFile} from "node:fs/promises";
import {runCappedDecoder} from "./cappedDecoder.js";
import type {InspectedPicture} from "./inspect.js";
import {ImageRefusal} from "./refusal.js";

const AGAIN = "Send it again, or another";
const kindName = (p: InspectedPicture) => `a ${p.type.toUpperCase()}`;

/** ffmpeg's demuxer for each kind of picture taken. */
const DEMUXER: Record<InspectedPicture["type"], string> = {
  png: "png_pipe",
  jpg: "jpeg_pipe",
  gif: "gif",
  webp: "webp_pipe",
};

export interface ScaleOptions {
  /** ffmpeg's video filter: the scaling, and the pixel format of what is written. */
  filter: string;
  /** JPEG (`-q:v` quality 2 to 31, lower is better) or PNG. */
  output: {codec: "mjpeg"; quality: number} | {codec: "png"};
  /** Where the inspected bytes are put for ffmpeg to read (a file seeks; a pipe does not): removed after. */
  workFile: string;
  signal?: AbortSignal;
}

/**
 * One frame of an inspected picture, scaled by ffmpeg within the kernel's ceilings (runCappedDecoder)
 * and written to standard output: what a shelf, Home Assistant's media card and a media browser show.
 * Only an InspectedPicture comes here, so what ffmpeg reads is what the one door let through.
 */
export async function scalePicture(ffmpeg: string, picture: InspectedPicture, opts: ScaleOptions): Promise<Buffer> {
  try {
    await writeFile(opts.workFile, picture.bytes);
    const codec =
      opts.output.codec === "mjpeg" ? ["-c:v", "mjpeg", "-q:v", String(opts.output.quality)] : ["-c:v", "png"];
    const made = await runCappedDecoder(ffmpeg, {
      width: picture.width,
      height: picture.height,
      ...(opts.signal ? {signal: opts.signal} : {}),
      args: [
        // Read as what inspect found, from the file alone: no other demuxer or protocol is tried.
        ...["-protocol_whitelist", "file,pipe", "-f", DEMUXER[picture.type], "-i", opts.workFile],
        ...["-vf", opts.filter, "-frames:v", "1", ...codec, "-f", "image2pipe", "pipe:1"],
      ],
    }).catch((err: unknown) => {
      // ffmpeg cannot say which kind it failed to read: said here, where the kind is known.
      if (!(err instanceof ImageRefusal && err.kind === "damaged")) throw err;
      const said = new ImageRefusal(
        "damaged",
        `could not be read as ${kindName(picture)}: it may be damaged. ${AGAIN}`,
      );
      said.cause = err.cause;
      throw said;
    });
    // A picture of no frames (a GIF header and nothing) leaves ffmpeg content, with no output.
    if (made.length === 0)
      throw new ImageRefusal("damaged", `could not be read as ${kindName(picture)}: it holds no picture. ${AGAIN}`);
    return made;
  } finally {
    await rm(opts.workFile, {force: true});
  }
}
