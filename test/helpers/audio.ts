import {execFile} from "node:child_process";
import {createHash, randomUUID} from "node:crypto";
import {existsSync} from "node:fs";
import {copyFile, mkdir, rename} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {inject} from "vitest";
import {requireFfmpeg, runFfmpeg} from "../../src/core/ffmpeg.js";

export const ffmpegPath = requireFfmpeg().path;
const run = promisify(execFile);

export interface ToneOptions {
  seconds?: number;
  frequency?: number;
  sampleRate?: number;
  channels?: 1 | 2;
  /** e.g. "96k"; omitted for wav. */
  bitrate?: string;
  title?: string;
  format?: "mp3" | "wav" | "ogg";
  /** LAME's fastest setting (a third of the time for a long tone, which the test only needs big). */
  quick?: boolean;
}

/** Tones being made in this worker, by key: a second ask waits for the first. */
const making = new Map<string, Promise<void>>();

/** The run's folder of tones (test/globalSetup/audioCache.ts), or undefined outside a test run. */
function toneCache(): string | undefined {
  try {
    return inject("audioCache");
  } catch {
    return undefined;
  }
}

/**
 * Real audio made by ffmpeg for the test that needs it (no binary fixtures in the repository). Made
 * once a run for the same arguments, into the run's folder, and copied to `file` for each test that
 * asks: a test may change its copy, never another's.
 */
export async function makeTone(file: string, o: ToneOptions = {}): Promise<string> {
  await mkdir(path.dirname(file), {recursive: true});
  const format = o.format ?? (path.extname(file).slice(1) as ToneOptions["format"]) ?? "mp3";
  const codec =
    format === "wav"
      ? ["-codec:a", "pcm_s16le"]
      : format === "ogg"
        ? ["-codec:a", "libvorbis"]
        : ["-codec:a", "libmp3lame"];
  const args = [
    "-y",
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=${o.frequency ?? 440}:sample_rate=${o.sampleRate ?? 44100}:duration=${o.seconds ?? 2}`,
    "-ac",
    String(o.channels ?? 2),
    ...codec,
    ...(o.bitrate ? ["-b:a", o.bitrate] : []),
    ...(o.quick && format === "mp3" ? ["-compression_level", "9"] : []),
    ...(o.title ? ["-metadata", `title=${o.title}`] : []),
    "-f",
    format ?? "mp3",
  ];
  const cache = toneCache();
  if (cache === undefined) {
    await runFfmpeg(ffmpegPath, [...args, file]);
    return file;
  }
  const key = createHash("sha256").update(JSON.stringify(args)).digest("hex").slice(0, 32);
  const kept = path.join(cache, `${key}.${format}`);
  if (!existsSync(kept)) {
    const made =
      making.get(key) ??
      (async () => {
        // Written aside and renamed: another worker asking at the same moment reads a whole tone or none.
        const part = `${kept}.${process.pid}.${randomUUID()}.part`;
        await runFfmpeg(ffmpegPath, [...args, part]);
        await rename(part, kept);
      })().finally(() => making.delete(key));
    making.set(key, made);
    await made;
  }
  await copyFile(kept, file);
  return file;
}

/** Decode the whole file; resolves to ffmpeg's error output (empty when it decoded cleanly). */
export async function decodeErrors(file: string): Promise<string> {
  try {
    const {stderr} = await run(ffmpegPath, ["-hide_banner", "-nostdin", "-v", "error", "-i", file, "-f", "null", "-"]);
    return stderr.trim();
  } catch (err) {
    return String((err as {stderr?: string}).stderr ?? err).trim() || "ffmpeg failed";
  }
}

/** Stream parameters as ffmpeg reports them: "mp3, 44100 Hz, stereo, fltp, 128 kb/s". */
export async function describeAudio(file: string): Promise<string> {
  const result = await run(ffmpegPath, ["-hide_banner", "-nostdin", "-i", file]).catch((err: {stderr: string}) => err);
  const line = result.stderr.split("\n").find((l) => l.includes("Audio:"));
  return line ? (line.split("Audio:")[1] as string).trim() : "";
}
