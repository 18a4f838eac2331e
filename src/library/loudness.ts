import {confinedInputOptions} from "./uploadFormats.js";

/**
 * EBU R128 target. -16 LUFS integrated with a -1.5 dBTP ceiling suits small speakers and matches
 * what spoken-word platforms aim for, so stories and songs play at the same loudness.
 */
export const TARGET_LUFS = -16;
export const CEILING_DBTP = -1.5;
/** The one-pass normaliser: right for anything long enough for its 3-second look-ahead to see. */
export const LOUDNORM = `loudnorm=I=${TARGET_LUFS}:TP=${CEILING_DBTP}:LRA=11`;
/**
 * The one pass's result this close to the target is kept (measured before the MP3 encoder, which
 * takes up to half a LU more from bright speech); a short one further off is made again.
 */
export const TOLERANCE_LU = 1;
/** A remade short file is made again until it measures this close to the target, MAX_FITS times at most. */
export const FIT_LU = 0.5;
export const MAX_FITS = 3;
/**
 * Sound up to this long is measured whole (looped to this length, see `loopedMeasure`), and only
 * sound this short is ever made twice: a long file is normalised in one pass, whatever it is.
 */
export const MEASURED_SECONDS = 20;

export const SAMPLE_RATE = 44100;
// The limiter works at four times the rate, where the peaks between samples are samples, half a dB
// under the ceiling: the MP3 encoder's own overshoot stays under it.
const LIMIT = 10 ** ((CEILING_DBTP - 0.5) / 20);

/** What EBU R128 says of some sound: integrated loudness (LUFS) and true peak (dBTP). */
export interface Loudness {
  /** Undefined when nothing in it is above the standard's -70 LUFS gate: silence. */
  integrated?: number;
  truePeak?: number;
}

/**
 * A filter chain that measures the sound it is given (its measurement is read from ffmpeg's log by
 * `LoudnessLog`, under `label`), as long as MEASURED_SECONDS; a branch of a graph ends it in `anullsink`.
 *
 * The sound is looped to MEASURED_SECONDS first. Integrated loudness is gated over 400 ms blocks:
 * a 0.3-second line has no block at all (ffmpeg says -70 LUFS, silence), and a 0.5-3 second
 * line has so few that its first and last, half silence, weigh as much as its middle; the one-pass
 * normaliser's 3-second window has the same trouble. Looped, a short line is a steady sound whose
 * every block holds all of it, so what is measured is the line itself, as loud as it is heard. A
 * longer sound is measured on its first MEASURED_SECONDS (used only for sound that short).
 */
export function loopedMeasure(label: string, peak = false): string {
  return [
    `aloop=loop=-1:size=${MEASURED_SECONDS * SAMPLE_RATE}`,
    `atrim=duration=${MEASURED_SECONDS}`,
    // Its summary at info level; the line every 100 ms it would also log there goes to verbose.
    `ebur128@${label}=framelog=verbose${peak ? ":peak=true" : ""}`,
  ].join(",");
}

/** A fixed gain, then a true-peak limiter at the ceiling (the gain may push a word's peaks over it). */
export function gainThenLimit(gainDb: number): string {
  return [
    `volume=${gainDb.toFixed(2)}dB`,
    `aresample=${SAMPLE_RATE * 4}`,
    `alimiter=limit=${LIMIT.toFixed(4)}:attack=1:release=20:level=disabled:latency=1`,
    `aresample=${SAMPLE_RATE}`,
  ].join(",");
}

/** The output format (rate and channels): what is measured is what is written. */
export function outputFormat(channels: "mono" | "stereo"): string {
  return `aformat=sample_rates=${SAMPLE_RATE}:channel_layouts=${channels}`;
}

/** Whether a measured result is as loud as the target, near enough. */
export function onTarget(measured: Loudness | undefined): boolean {
  return measured?.integrated !== undefined && Math.abs(measured.integrated - TARGET_LUFS) <= TOLERANCE_LU;
}

// "[ebur128@out @ 0x55d…] [info] Summary:", then lines without a prefix: "    I:  -16.1 LUFS", "    Peak:  -inf dBFS".
const SUMMARY = /^\[ebur128@(\w+) @ 0x[0-9a-f]+\] \[info\] Summary:/;
const INTEGRATED = /^\s+I:\s+(-?[\d.]+|-inf) LUFS/;
const PEAK = /^\s+Peak:\s+(-?[\d.]+|-inf) dBFS/;
// A try never adds more than this at once: a limiter that takes nearly all of it is already crushing.
const MAX_STEP_DB = 6;

/**
 * The gain that makes a short sound as loud as the target, found by trying: `attempt(gain)` writes
 * the file with that gain (and the limiter) and says how loud it measures. The limiter takes more
 * the harder it is pushed, so a second try corrects the first by what it missed, and a third
 * follows the line through the two before it. Resolves to the loudness of what was written last.
 */
export async function fitGain(
  gain: number,
  attempt: (gainDb: number) => Promise<number | undefined>,
): Promise<number | undefined> {
  let tried: {gain: number; loudness: number} | undefined;
  for (let fit = 1; ; fit++) {
    const loudness = await attempt(gain);
    if (loudness === undefined || Math.abs(loudness - TARGET_LUFS) <= FIT_LU || fit >= MAX_FITS) return loudness;
    // How much louder a dB of gain made it, from the last two tries (one for one until there are two).
    const slope = tried && Math.abs(gain - tried.gain) > 0.05 ? (loudness - tried.loudness) / (gain - tried.gain) : 1;
    tried = {gain, loudness};
    const step = (TARGET_LUFS - loudness) / Math.max(slope, 0.25);
    gain += Math.max(-MAX_STEP_DB, Math.min(step, MAX_STEP_DB));
  }
}
// ffmpeg's gate: a summary of -70 LUFS means no block was loud enough to count.
const GATE_LUFS = -70;

/**
 * Reads ebur128's summaries out of ffmpeg's log (run with `-loglevel level+info`), line by line.
 * ffmpeg sets its filters up twice (a summary of nothing, then the real one): the last one counts.
 */
export class LoudnessLog {
  readonly measured: Record<string, Loudness> = {};
  #label: string | undefined;

  line(text: string): void {
    const summary = SUMMARY.exec(text);
    if (summary) {
      this.#label = summary[1] as string;
      this.measured[this.#label] = {};
      return;
    }
    if (this.#label === undefined) return;
    if (text.startsWith("[")) {
      this.#label = undefined;
      return;
    }
    const entry = this.measured[this.#label] as Loudness;
    const integrated = INTEGRATED.exec(text)?.[1];
    if (integrated !== undefined) {
      const lufs = Number(integrated);
      entry.integrated = Number.isFinite(lufs) && lufs > GATE_LUFS ? lufs : undefined;
    }
    const peak = PEAK.exec(text)?.[1];
    if (peak !== undefined && peak !== "-inf") entry.truePeak = Number(peak);
  }
}

/**
 * ffmpeg arguments that measure a file as the library measures what it writes (looped, see
 * `loopedMeasure`), in `format` (the output's rate and channels; else the file's own channels): its
 * loudness is then read from the run's log with `LoudnessLog` as "file".
 */
export function measureArgs(file: string, format = `aresample=${SAMPLE_RATE}`): string[] {
  return [
    ...confinedInputOptions(),
    "-i",
    `file:${file}`,
    "-vn",
    "-af",
    `${format},${loopedMeasure("file", true)}`,
    "-f",
    "null",
    "-",
  ];
}

/**
 * The one pass's check of its own output, the first MEASURED_SECONDS as they are (not looped):
 * enough to see whether a short result is near the target or far off (short speech comes out
 * about 20 dB under), at no cost worth counting. Looping would meter 20 seconds for every track.
 */
export function quickMeasure(label: string): string {
  return `atrim=duration=${MEASURED_SECONDS},ebur128@${label}=framelog=verbose`;
}
