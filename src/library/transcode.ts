import {access, constants} from "node:fs/promises";
import ffmpeg from "fluent-ffmpeg";
import {lastLines} from "./ffmpeg.js";

export type Channels = "mono" | "stereo";

/**
 * EBU R128 target. -16 LUFS integrated with a -1.5 dBTP ceiling suits small speakers and matches
 * what spoken-word platforms aim for, so stories and songs play at the same loudness.
 */
const LOUDNORM = "loudnorm=I=-16:TP=-1.5:LRA=11";
// Even a 10-hour audiobook converts in a few minutes; past this ffmpeg is stuck, not busy.
const MAX_TRANSCODE_SECONDS = 3600;

/**
 * Re-encode anything ffmpeg decodes to MP3 CBR 128 kb/s, 44.1 kHz, loudness-normalised. One fixed
 * format means files can be joined into one continuous stream without the decoder resetting.
 */
export async function transcodeToMp3(
  ffmpegPath: string,
  input: string,
  output: string,
  channels: Channels,
): Promise<void> {
  // fluent-ffmpeg caches encoder lists for every path; once ffmpeg has run, a binary that later
  // fails to spawn makes it throw inside child_process and never report, hanging the upload.
  await access(ffmpegPath, constants.X_OK).catch((err: NodeJS.ErrnoException) => {
    throw Object.assign(new Error(`cannot execute '${ffmpegPath}' (${err.code})`), {code: err.code});
  });
  return new Promise((resolve, reject) => {
    ffmpeg(input, {timeout: MAX_TRANSCODE_SECONDS})
      .setFfmpegPath(ffmpegPath)
      .inputOptions(["-hide_banner", "-v", "error"])
      .noVideo()
      .audioFilters(LOUDNORM)
      .audioCodec("libmp3lame")
      .audioBitrate(128)
      .audioFrequency(44100)
      .audioChannels(channels === "mono" ? 1 : 2)
      .outputOptions(["-id3v2_version", "3"])
      .format("mp3")
      .on("error", (err: Error, _stdout: string | null, stderr: string | null) => {
        reject(new Error(lastLines(stderr ?? "") || err.message));
      })
      .on("end", () => resolve())
      .save(output);
  });
}
