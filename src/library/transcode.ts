import {access, constants} from "node:fs/promises";
import {lastLines} from "../core/ffmpeg.js";
import {confinedInputOptions} from "./uploadFormats.js";

export type Channels = "mono" | "stereo";

/**
 * EBU R128 target. -16 LUFS integrated with a -1.5 dBTP ceiling suits small speakers and matches
 * what spoken-word platforms aim for, so stories and songs play at the same loudness.
 */
const LOUDNORM = "loudnorm=I=-16:TP=-1.5:LRA=11";
// Even a 10-hour audiobook converts in a few minutes; past this ffmpeg is stuck, not busy.
const MAX_TRANSCODE_SECONDS = 3600;
const OUTPUT_FAILED = /Error writing trailer|Error closing file|av_interleaved_write_frame\(\)|No space left on device/;

/**
 * Re-encode an audio file to MP3 CBR 128 kb/s, 44.1 kHz, loudness-normalised. One fixed format
 * means files can be joined into one continuous stream without the decoder resetting. The input is
 * decoded only as one of the upload containers (uploadFormats.ts): never as a playlist or list that
 * would make ffmpeg read other files.
 */
export async function transcodeToMp3(
  ffmpegPath: string,
  input: string,
  output: string,
  channels: Channels,
  /** Written into the file's tag (a feed episode's title), so the library shows it as given. */
  title?: string,
): Promise<void> {
  // fluent-ffmpeg caches encoder lists for every path; once ffmpeg has run, a binary that later
  // fails to spawn makes it throw inside child_process and never report, hanging the upload.
  await access(ffmpegPath, constants.X_OK).catch((err: NodeJS.ErrnoException) => {
    throw Object.assign(new Error(`cannot execute '${ffmpegPath}' (${err.code})`), {code: err.code});
  });
  // Loaded on first use: most starts never transcode.
  const {default: ffmpeg} = await import("fluent-ffmpeg");
  return new Promise((resolve, reject) => {
    // "file:" so a folder name containing a colon is never read as another protocol.
    ffmpeg(`file:${input}`, {timeout: MAX_TRANSCODE_SECONDS})
      .setFfmpegPath(ffmpegPath)
      .inputOptions(["-hide_banner", "-v", "error", ...confinedInputOptions()])
      .noVideo()
      .audioFilters(LOUDNORM)
      .audioCodec("libmp3lame")
      .audioBitrate(128)
      .audioFrequency(44100)
      .audioChannels(channels === "mono" ? 1 : 2)
      // As separate arguments: fluent-ffmpeg splits an array's "name value" strings at their space.
      .outputOptions("-id3v2_version", "3", ...(title ? ["-metadata", `title=${title.slice(0, 200)}`] : []))
      .format("mp3")
      .on("error", (err: Error, _stdout: string | null, stderr: string | null) => {
        reject(new Error(lastLines(stderr ?? "") || err.message));
      })
      .on("end", (_stdout: string | null, stderr: string | null) => {
        // ffmpeg 5 exits 0 when the output cannot be finished (a full disk while writing the
        // trailer): the file it leaves is cut short, so its own "Error writing…" lines decide.
        if (OUTPUT_FAILED.test(stderr ?? "")) reject(new Error(lastLines(stderr ?? "")));
        else resolve();
      })
      .save(output);
  });
}
