import {mkdir, rename, stat} from "node:fs/promises";
import path from "node:path";
import {runFfmpeg} from "../core/ffmpeg.js";

export interface SampleTrack {
  file: string;
  title: string;
  /** An ffmpeg lavfi source: generated, so no audio is committed to the repository. */
  source: string;
}

// Short, distinct and pleasant enough to tell apart by ear when the streams play them.
export const SAMPLE_TRACKS: readonly SampleTrack[] = [
  {
    file: "lullabies/01 Twinkle Tone.mp3",
    title: "Twinkle Tone",
    source: "aevalsrc='0.3*sin(2*PI*440*t)*(0.6+0.4*sin(2*PI*0.5*t))':s=44100:d=20",
  },
  {
    file: "lullabies/02 Slow Waves.mp3",
    title: "Slow Waves",
    source: "aevalsrc='0.25*sin(2*PI*330*t)+0.15*sin(2*PI*495*t)':s=44100:d=25",
  },
  {
    file: "morning/01 Wake Up Chime.mp3",
    title: "Wake Up Chime",
    source: "aevalsrc='0.3*sin(2*PI*(523+262*mod(floor(t*2),2))*t)':s=44100:d=15",
  },
];

/** Create any missing sample track under `dir` (written to a temp name, then renamed into place). */
export async function ensureSampleAudio(dir: string, ffmpegPath: string): Promise<string[]> {
  const created: string[] = [];
  for (const track of SAMPLE_TRACKS) {
    const target = path.join(dir, track.file);
    if (
      await stat(target).then(
        () => true,
        () => false,
      )
    )
      continue;
    await mkdir(path.dirname(target), {recursive: true});
    const temp = `${target}.part`;
    await runFfmpeg(ffmpegPath, [
      "-y",
      "-f",
      "lavfi",
      "-i",
      track.source,
      "-ac",
      "2",
      "-codec:a",
      "libmp3lame",
      "-b:a",
      "128k",
      "-metadata",
      `title=${track.title}`,
      "-metadata",
      "artist=Yoto Smart Stream demo",
      "-f",
      "mp3",
      temp,
    ]);
    await rename(temp, target);
    created.push(track.file);
  }
  return created;
}
