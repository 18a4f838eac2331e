import {spawn} from "node:child_process";
import {lastLines} from "../core/ffmpeg.js";
import {type Loudness, LoudnessLog} from "./loudness.js";

// ffmpeg 5 exits 0 when the output cannot be finished (a full disk while writing the trailer): the
// file it leaves is cut short, so its own "Error writing…" lines decide.
const OUTPUT_FAILED = /Error writing trailer|Error closing file|av_interleaved_write_frame\(\)|No space left on device/;
// `-loglevel level+info` tags each message: "[hls @ 0x55…] [error] Format not on whitelist…",
// "[error] file:x: Invalid data…". A line without a tag continues the message before it.
const TAGGED = /^((?:\[[^\]]+ @ 0x[0-9a-f]+\] )*)\[(\w+)\] /;
const ERROR_LEVELS = new Set(["error", "fatal", "panic"]);

/**
 * Run ffmpeg to completion and read what its ebur128 filters measured (by label, see loudness.ts).
 * It logs at info level, where the measurements are; what is kept of the rest is only what
 * `-v error` would have printed, word for word, for the error a failed run rejects with.
 */
export function runMeasured(
  ffmpegPath: string,
  args: readonly string[],
  timeoutSeconds: number,
): Promise<Record<string, Loudness>> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const log = new LoudnessLog();
    let errors = "";
    let level = "info";
    let partial = "";
    const consume = (line: string) => {
      const tagged = TAGGED.exec(line);
      if (tagged) level = tagged[2] as string;
      if (!ERROR_LEVELS.has(level)) return log.line(line);
      const text = tagged ? `${tagged[1]}${line.slice(tagged[0].length)}` : line;
      errors = `${errors}${text}\n`.slice(-4000);
    };
    let timedOut = false;
    // Even a 10-hour audiobook converts in a few minutes; past the limit ffmpeg is stuck, not busy.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutSeconds * 1000);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split(/\r?\n/);
      partial = lines.pop() ?? "";
      for (const line of lines) consume(line);
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (partial) consume(partial);
      if (timedOut) reject(new Error(`ffmpeg had not finished after ${timeoutSeconds} s and was stopped`));
      else if (code !== 0 || OUTPUT_FAILED.test(errors)) {
        reject(new Error(lastLines(errors) || `ffmpeg exited with code ${code}`));
      } else resolve(log.measured);
    });
  });
}
