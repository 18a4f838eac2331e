import {access, constants, stat} from "node:fs/promises";
import {runMeasured} from "./ffmpegRun.js";
import {
  fitGain,
  gainThenLimit,
  LOUDNORM,
  type Loudness,
  loopedMeasure,
  MEASURED_SECONDS,
  measureArgs,
  onTarget,
  outputFormat,
  quickMeasure,
  TARGET_LUFS,
} from "./loudness.js";
import {confinedInputOptions} from "./uploadFormats.js";

export type Channels = "mono" | "stereo";

// Even a 10-hour audiobook converts in a few minutes; past this ffmpeg is stuck, not busy.
const MAX_TRANSCODE_SECONDS = 3600;
// 128 kb/s CBR: the output's size says how long it is.
const BYTES_PER_SECOND = 16_000;

/**
 * Re-encode an audio file to MP3 CBR 128 kb/s, 44.1 kHz, loudness-normalised to -16 LUFS. One
 * fixed format means files can be joined into one continuous stream without the decoder resetting.
 * The input is decoded only as one of the upload containers (uploadFormats.ts): never as a playlist
 * or list that would make ffmpeg read other files.
 *
 * One pass of `loudnorm` normalises anything long enough for its 3-second look-ahead, and a steady
 * tone of any length; the same pass measures what it wrote.
 * Short speech is what it gets wrong ("Hooray!" came out 20 dB too quiet): a short result off the
 * target is made again from a measurement of the input, as a plain gain and a true-peak limiter,
 * until it measures on target (`fitGain`; each try measured looped as it is written, in the same
 * run: see loudness.ts). A long file is never made twice; a short line usually takes three runs.
 */
export async function transcodeToMp3(
  ffmpegPath: string,
  input: string,
  output: string,
  channels: Channels,
  /** Written into the file's tag (a feed episode's title), so the library shows it as given. */
  title?: string,
): Promise<void> {
  // Said in words, where spawning it would only say ENOENT or EACCES.
  await access(ffmpegPath, constants.X_OK).catch((err: NodeJS.ErrnoException) => {
    throw Object.assign(new Error(`cannot execute '${ffmpegPath}' (${err.code})`), {code: err.code});
  });
  const format = outputFormat(channels);
  const encode = (chain: string, check: "quick" | "looped") =>
    encodeMeasured(ffmpegPath, input, output, title, `${format},${chain},${format}`, check);
  const measure = async (file: string, as?: string) =>
    (await runMeasured(ffmpegPath, measureArgs(file, as), MAX_TRANSCODE_SECONDS)).file?.integrated;
  const first = await encode(LOUDNORM, "quick");
  if (onTarget(first.out) || !(await isShort(output))) return;
  const heard = await measure(input, format);
  // Silence stays silence: there is nothing to make louder.
  if (heard === undefined) return;
  // Each try is written and measured (looped, as it goes to the encoder) in one run: the encoder
  // takes at most half a LU more, inside the library's two.
  await fitGain(TARGET_LUFS - heard, async (gain) => (await encode(gainThenLimit(gain), "looped")).out?.integrated);
}

/** One ffmpeg run through the filters `graph` into the output, also measured (as "out") when `check`. */
async function encodeMeasured(
  ffmpegPath: string,
  input: string,
  output: string,
  title: string | undefined,
  graph: string,
  check: "quick" | "looped",
): Promise<Record<string, Loudness>> {
  // One filter graph for the one audio stream (-af, not -filter_complex): a file without one is
  // still "Output file #0 does not contain any stream".
  const meter = check === "quick" ? quickMeasure("out") : loopedMeasure("out");
  const end = `asplit[out][check];[check]${meter},anullsink;[out]anull`;
  return runMeasured(
    ffmpegPath,
    [
      ...confinedInputOptions(),
      // "file:" so a folder name containing a colon is never read as another protocol.
      "-i",
      `file:${input}`,
      "-vn",
      "-af",
      `${graph},${end}`,
      "-c:a",
      "libmp3lame",
      "-b:a",
      "128k",
      "-id3v2_version",
      "3",
      ...(title ? ["-metadata", `title=${title.slice(0, 200)}`] : []),
      "-f",
      "mp3",
      "-y",
      output,
    ],
    MAX_TRANSCODE_SECONDS,
  );
}

/** Whether what was written is short enough to have been measured whole (and so to be made again). */
async function isShort(output: string): Promise<boolean> {
  return (await stat(output)).size <= MEASURED_SECONDS * BYTES_PER_SECOND;
}
