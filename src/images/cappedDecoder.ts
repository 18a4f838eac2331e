import {spawn} from "node:child_process";
import {DECODER_MEMORY_BYTES, megabytes} from "./decodeMemory.js";
import {ImageRefusal} from "./refusal.js";

/** The CPU a picture's decode may spend: a 48-megapixel photo takes about 1 s on a small box. */
export const DECODER_CPU_SECONDS = 20;
/** The wall time it may take, waiting for a turn on a busy CPU included. */
export const DECODER_WALL_MS = 60_000;
/** The most a decoder may write to its standard output (a scaled cover is tens of kB). */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface DecoderRun {
  /** ffmpeg's arguments after its global options (`-i …` and on). */
  args: readonly string[];
  /** The picture's own pixel count, for ffmpeg's `-max_pixels`, which counts a 128-pixel margin. */
  width: number;
  height: number;
  signal?: AbortSignal;
  /** The data segment's ceiling: DECODER_MEMORY_BYTES unless a caller needs less. */
  memoryBytes?: number;
}

/**
 * Run ffmpeg on a picture within ceilings the kernel keeps: its data segment (RLIMIT_DATA, set by
 * the shell's `ulimit -d` before `exec`, in every POSIX shell including busybox's) at
 * DECODER_MEMORY_BYTES, and its CPU (`ulimit -t`) at DECODER_CPU_SECONDS, with a wall-clock kill as
 * well. One thread: a picture is one frame, and each thread's arena would count against the cap.
 * Answers what it wrote to standard output; rejects with an ImageRefusal ("memory", "time",
 * "damaged") in words, with ffmpeg's own lines as the cause.
 */
export function runCappedDecoder(ffmpeg: string, run: DecoderRun): Promise<Buffer> {
  const memory = run.memoryBytes ?? DECODER_MEMORY_BYTES;
  const caps = `ulimit -d ${Math.floor(memory / 1024)} 2>/dev/null; ulimit -t ${DECODER_CPU_SECONDS} 2>/dev/null; exec "$0" "$@"`;
  const maxPixels = (run.width + 128) * (run.height + 128);
  const args = [
    ...["-hide_banner", "-nostdin", "-v", "error", "-threads", "1", "-filter_threads", "1"],
    ...["-max_pixels", String(maxPixels), ...run.args],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", caps, ffmpeg, ...args], {stdio: ["ignore", "pipe", "pipe"]});
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = "";
    let timedOut = false;
    const kill = () => child.kill("SIGKILL");
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, DECODER_WALL_MS);
    run.signal?.addEventListener("abort", kill, {once: true});
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT_BYTES) kill();
      else out.push(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      run.signal?.removeEventListener("abort", kill);
      if (code === 0) return resolve(Buffer.concat(out));
      if (run.signal?.aborted) return reject(run.signal.reason ?? new Error("aborted"));
      if (outBytes > MAX_OUTPUT_BYTES)
        return reject(new ImageRefusal("damaged", "made more than a picture's worth of output: send another"));
      reject(refusal(code, signal, timedOut, stderr, memory));
    });
  });
}

function refusal(
  code: number | null,
  signal: NodeJS.Signals | null,
  timedOut: boolean,
  stderr: string,
  memory: number,
): Error {
  const said = stderr.trim().split("\n").slice(-2).join(" ").trim();
  let err: ImageRefusal;
  // `ulimit -t` sets the hard limit too in dash and busybox: the kernel then kills with SIGKILL, not SIGXCPU.
  if (timedOut || signal === "SIGXCPU" || signal === "SIGKILL")
    err = new ImageRefusal(
      "time",
      `took longer to read than a picture may (${DECODER_CPU_SECONDS} s): it is damaged, or made to hold the service. Send another`,
    );
  // ffmpeg says "Cannot allocate memory" when the decoder's frame is refused, and "Resource
  // temporarily unavailable" when a filter's is.
  else if (/alloc|memory|temporarily unavailable/i.test(stderr))
    err = new ImageRefusal(
      "memory",
      `needs more memory to read than the ${megabytes(memory)} a picture may use: save it smaller and send it again`,
    );
  else err = new ImageRefusal("damaged", "could not be read: it may be damaged. Send it again, or another");
  err.cause = new Error(said || `ffmpeg ended with ${signal ?? `code ${code}`}`);
  return err;
}
