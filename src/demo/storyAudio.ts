import {execFile} from "node:child_process";
import {mkdir, rename, rm, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {runFfmpeg} from "../core/ffmpeg.js";

const run = promisify(execFile);

/** Narration for the demo story (`rules/sleepy-dragon.yaml`), one file per scene. */
export const DEMO_NARRATION: Record<string, string> = {
  "story/hill.mp3":
    "Welcome to the hill where the sleepy dragon lives. Press the left button to knock on the cave door. Press the right button to follow the butterfly.",
  "story/cave.mp3":
    "The dragon opens one enormous eye and yawns. Press the right button to sing the dragon a lullaby. Press the left button to tiptoe back outside.",
  "story/meadow.mp3":
    "The butterfly leads you to a meadow full of glow worms. They light your way home. Press the left button to go back up the hill.",
  "story/home.mp3": "And so you walked home under the stars, and the dragon slept soundly. The end.",
};

/** Tones when no voice is available: each scene a different rising motif, so they can be told apart. */
const FALLBACK_HZ = [392, 440, 494, 523];

/**
 * Speak each scene with whatever this machine has: ffmpeg's built-in flite voice, else the
 * espeak-ng program, else a tone motif. Written to a temp file, then renamed into place.
 */
export async function ensureStoryAudio(dir: string, ffmpegPath: string): Promise<{created: string[]; voice: string}> {
  const created: string[] = [];
  let voice = "existing";
  for (const [index, [file, text]] of Object.entries(DEMO_NARRATION).entries()) {
    const target = path.join(dir, file);
    if (await exists(target)) continue;
    await mkdir(path.dirname(target), {recursive: true});
    const temp = `${target}.part`;
    voice = await speak(ffmpegPath, text, temp, FALLBACK_HZ[index] ?? 440);
    await rename(temp, target);
    created.push(file);
  }
  return {created, voice};
}

async function speak(ffmpegPath: string, text: string, out: string, hz: number): Promise<string> {
  const mp3 = ["-ar", "44100", "-ac", "2", "-codec:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", out];
  const textFile = `${out}.txt`;
  await writeFile(textFile, text);
  try {
    // ffmpeg's flite source reads the text from a file, so no quoting of the narration is needed.
    await runFfmpeg(ffmpegPath, ["-y", "-f", "lavfi", "-i", `flite=textfile=${textFile}:voice=slt`, ...mp3]);
    return "flite";
  } catch {
    // Not built with flite: try espeak-ng, then tones.
  } finally {
    await rm(textFile, {force: true});
  }
  const wav = `${out}.wav`;
  try {
    await run("espeak-ng", ["-w", wav, text]);
    await runFfmpeg(ffmpegPath, ["-y", "-i", wav, ...mp3]);
    return "espeak-ng";
  } catch {
    const motif = `aevalsrc='0.3*sin(2*PI*${hz}*(1+0.25*floor(mod(t,2)*2))*t)':s=44100:d=6`;
    await runFfmpeg(ffmpegPath, ["-y", "-f", "lavfi", "-i", motif, ...mp3]);
    return "tones";
  } finally {
    await rm(wav, {force: true});
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
