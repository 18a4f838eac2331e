import {spawn} from "node:child_process";
import {createRequire} from "node:module";
import {findOnPath, isExecutable} from "./findProgram.js";

export interface FfmpegBinary {
  path: string;
  source: "FFMPEG_PATH" | "PATH" | "npm package";
}

/**
 * Find ffmpeg: `FFMPEG_PATH`, then the system's (Debian/Alpine packages are the best builds), then
 * the static build shipped by the optional npm package so a fresh machine works without apt.
 */
export function locateFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegBinary | undefined {
  if (env.FFMPEG_PATH && isExecutable(env.FFMPEG_PATH)) return {path: env.FFMPEG_PATH, source: "FFMPEG_PATH"};
  const onPath = findOnPath("ffmpeg", env);
  if (onPath) return {path: onPath, source: "PATH"};
  try {
    const shipped = createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as {path: string};
    if (isExecutable(shipped.path)) return {path: shipped.path, source: "npm package"};
  } catch {
    // Optional dependency not installed for this platform: fall through.
  }
  return undefined;
}

export function requireFfmpeg(env?: NodeJS.ProcessEnv): FfmpegBinary {
  const found = locateFfmpeg(env);
  if (!found) {
    throw new Error(
      "ffmpeg was not found: install it (apt-get install ffmpeg), set FFMPEG_PATH, or reinstall with optional dependencies (npm install)",
    );
  }
  return found;
}

/** Run ffmpeg to completion; rejects with the last lines of its stderr, which say what went wrong. */
export function runFfmpeg(binary: string, args: readonly string[], signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["-hide_banner", "-nostdin", "-v", "error", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
      signal,
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(lastLines(stderr) || `ffmpeg exited with code ${code}`));
    });
  });
}

export function lastLines(text: string, count = 2): string {
  return text.trim().split("\n").slice(-count).join(" ").trim();
}

/**
 * ffmpeg's `-max_pixels` for audio someone else sent: probing a file decodes its embedded cover art
 * even with `-vn`, and a 373 KB MP3 carrying a 16000×3000 16-bit PNG took ffmpeg to 426 MB. Art past
 * this (4000×4000) is left undecoded; the audio plays on.
 */
export const AUDIO_ART_MAX_PIXELS = ["-max_pixels", "16000000"] as const;

/** What stations and live casts are made into where they are not MP3 already: 128 kb/s stereo at 44.1 kHz. */
export const STATION_MP3 = ["-ac", "2", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "128k"] as const;
