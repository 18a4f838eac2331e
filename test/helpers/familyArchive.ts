import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import type {AppOptions} from "../../src/app/app.js";
import type {ArchiveRun} from "../../src/shared/api/archive.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {startApp, type TestApp} from "./app.js";
import {makeTone} from "./audio.js";
import {CLIENT_ID, linkAccount, startSimulator} from "./cloud.js";
import {call} from "./http.js";
import {tempDir} from "./tmp.js";

export interface ArchiveStack {
  sim: YotoSimulator;
  t: TestApp;
  api: string;
  root: string;
  stop(): Promise<void>;
}

/** The service on the simulator with the account linked: the family's cards are added by the test. */
export async function archiveStack(
  flags: string[] = [],
  opts: {root?: string; sim?: YotoSimulator; signedLinkSeconds?: number; app?: Partial<AppOptions>} = {},
): Promise<ArchiveStack> {
  const sim = opts.sim ?? (await startSimulator({signedLinkSeconds: opts.signedLinkSeconds}));
  const root = opts.root ?? (await tempDir("yss-archive-"));
  const t = await startApp(["--yoto_client_id", CLIENT_ID, "--archive_nightly", "off", ...flags], {
    dataDir: path.join(root, "data"),
    mediaDir: path.join(root, "media"),
    cloud: sim.endpoints,
    linkToOwnAudioListener: true,
    ...opts.app,
  });
  await linkAccount(t.app.account);
  return {
    sim,
    t,
    api: `${t.adminUrl}/api`,
    root,
    stop: async () => {
      await t.stop();
      if (!opts.sim) await sim.stop();
    },
  };
}

const tones = new Map<string, Promise<Buffer>>();

/**
 * Real MP3 audio made by ffmpeg: `seconds` of a tone at `frequency`. Made once per shape; `variant`
 * appends an ID3v1 tag, so many tracks get distinct bytes (and shas) without many ffmpeg runs.
 */
export async function toneBytes(seconds: number, frequency = 440, variant?: string): Promise<Buffer> {
  const key = `${seconds}-${frequency}`;
  let made = tones.get(key);
  if (!made) {
    made = (async () => {
      const file = path.join(await tempDir("yss-tone-"), `${key}.mp3`);
      await makeTone(file, {seconds, frequency, bitrate: "64k", channels: 1});
      return readFile(file);
    })();
    tones.set(key, made);
  }
  const bytes = await made;
  if (variant === undefined) return bytes;
  const tag = Buffer.alloc(128);
  tag.write("TAG", 0, "latin1");
  tag.write(variant.slice(0, 30), 3, "latin1");
  return Buffer.concat([bytes, tag]);
}

export interface TrackSpec {
  title: string;
  seconds?: number;
  frequency?: number;
  /** Distinct bytes for the same tone. */
  variant?: string;
  /** Bytes to use as they are (shared tracks, large media). */
  sha?: string;
}

/**
 * A Make Your Own card at Yoto as the family made it: a chapter a track, its audio uploaded (in the
 * simulator's media store, read back as signed links), an icon on the first chapter, and a cover.
 * Returns each track's sha.
 */
export async function addFamilyCard(
  sim: YotoSimulator,
  cardId: string,
  title: string,
  tracks: TrackSpec[],
  opts: {icon?: string; cover?: boolean} = {},
): Promise<string[]> {
  const shas: string[] = [];
  const chapters = [];
  for (const [i, spec] of tracks.entries()) {
    const seconds = spec.seconds ?? 1;
    const sha =
      spec.sha ??
      sim.addMedia(await toneBytes(seconds, spec.frequency ?? 440 + i * 20, spec.variant ?? `${cardId}-${i}`));
    shas.push(sha);
    const key = String(i + 1).padStart(2, "0");
    chapters.push({
      key,
      title: spec.title,
      ...(i === 0 && opts.icon ? {display: {icon16x16: `yoto:#${opts.icon}`}} : {}),
      tracks: [
        {key, title: spec.title, trackUrl: `yoto:#${sha}`, type: "audio" as const, format: "mp3", duration: seconds},
      ],
    });
  }
  sim.addCard({
    cardId,
    title,
    content: {chapters, playbackType: "linear"},
    metadata: opts.cover ? {cover: {imageL: `${sim.url}/covers/${cardId}cover.png`}} : {},
  });
  return shas;
}

/** Run the archive and wait for the outcome: `{status, run}`. */
export async function archiveNow(api: string): Promise<{status: number; run: ArchiveRun; body: {run: ArchiveRun}}> {
  const res = await call("POST", `${api}/archive/run?wait=true`);
  return {status: res.status, run: res.body.run, body: res.body};
}

/** Every file under the archive's `files/`, as `<sha>.<ext>`, sorted. */
export async function filesOnDisk(dataDir: string): Promise<string[]> {
  return (await readdir(path.join(dataDir, "archive", "files"))).sort();
}
