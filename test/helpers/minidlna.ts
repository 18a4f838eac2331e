import {mkdir} from "node:fs/promises";
import path from "node:path";
import {runFfmpeg} from "../../src/core/ffmpeg.js";
import {ffmpegPath} from "./audio.js";
import {atFileEnd} from "./fileEnd.js";
import {startMiniDlnaProcess} from "./miniDlnaProcess.js";
import {tempDir} from "./tmp.js";

export interface TrackSpec {
  /** Path under the media folder, e.g. "Albums/Sea Songs/01 Waves.mp3". */
  file: string;
  title: string;
  artist?: string;
  album?: string;
  track?: number;
  seconds?: number;
}

export interface MiniDlna {
  descriptionUrl: string;
  mediaDir: string;
  stop(): Promise<void>;
  /** Start it again on the same port and folders (after stop). */
  restart(): Promise<void>;
}

/** Generated tagged tones as files a media server would hold. */
export async function makeTracks(dir: string, tracks: TrackSpec[]): Promise<void> {
  for (const t of tracks) {
    const file = path.join(dir, t.file);
    await mkdir(path.dirname(file), {recursive: true});
    const tags = [
      "title",
      t.title,
      "artist",
      t.artist ?? "Test Artist",
      "album",
      t.album ?? "Test Album",
      "track",
      String(t.track ?? 1),
    ];
    const meta: string[] = [];
    for (let i = 0; i < tags.length; i += 2) meta.push("-metadata", `${tags[i]}=${tags[i + 1]}`);
    await runFfmpeg(ffmpegPath, [
      "-f",
      "lavfi",
      "-i",
      `sine=frequency=${300 + (t.track ?? 1) * 40}:sample_rate=44100`,
      "-t",
      String(t.seconds ?? 2),
      "-ac",
      "2",
      "-c:a",
      "libmp3lame",
      "-b:a",
      "128k",
      ...meta,
      "-f",
      "mp3",
      file,
    ]);
  }
}

/**
 * Debian's MiniDLNA serving `tracks` on a free loopback port, as a NAS would: it scans its folder
 * at start, so this waits until its ContentDirectory lists every track.
 */
export async function startMiniDlna(tracks: TrackSpec[]): Promise<MiniDlna> {
  const dir = await tempDir("yss-dlna-");
  const mediaDir = path.join(dir, "media");
  await makeTracks(mediaDir, tracks);
  const running = await startMiniDlnaProcess(dir, mediaDir, tracks.length);
  // Whatever a test file started is stopped with it, even a server a failing test left running.
  atFileEnd(() => running.stop());
  return {descriptionUrl: running.descriptionUrl, mediaDir, stop: running.stop, restart: running.restart};
}
