import {type ChildProcess, spawn} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {runFfmpeg} from "../../src/library/ffmpeg.js";
import {ffmpegPath} from "./audio.js";
import {freePort, until} from "./icecast.js";
import {tempDir} from "./tmp.js";

export const MINIDLNA = ["/usr/sbin/minidlnad", "/usr/bin/minidlnad"].find((p) => existsSync(p)) ?? "minidlnad";

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
  const port = await freePort();
  const conf = path.join(dir, "minidlna.conf");
  await writeFile(
    conf,
    [
      `port=${port}`,
      "listening_ip=127.0.0.1",
      `media_dir=A,${mediaDir}`,
      `db_dir=${path.join(dir, "db")}`,
      `log_dir=${dir}`,
      "friendly_name=Family NAS",
      "inotify=no",
      "notify_interval=60",
      `uuid=4d696e69-444c-164e-9d41-${String(port).padStart(12, "0")}`,
      "",
    ].join("\n"),
  );
  const descriptionUrl = `http://127.0.0.1:${port}/rootDesc.xml`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(MINIDLNA, ["-S", "-f", conf, "-P", path.join(dir, "minidlna.pid"), "-R"], {stdio: "ignore"});
    await until(async () => (await fetch(descriptionUrl).catch(() => undefined))?.ok === true, "MiniDLNA to answer");
    await until(async () => (await countTracks(port)) >= tracks.length, "MiniDLNA to list every track", 30_000);
  };
  await start();
  return {
    descriptionUrl,
    mediaDir,
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      c.kill("SIGKILL");
      await new Promise((resolve) => c.once("exit", resolve));
    },
    restart: start,
  };
}

/** How many audio items MiniDLNA has indexed (a search over everything). */
async function countTracks(port: number): Promise<number> {
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Search xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><ContainerID>0</ContainerID><SearchCriteria>upnp:class derivedfrom "object.item.audioItem"</SearchCriteria><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>1</RequestedCount><SortCriteria></SortCriteria></u:Search></s:Body></s:Envelope>`;
  const res = await fetch(`http://127.0.0.1:${port}/ctl/ContentDir`, {
    method: "POST",
    headers: {
      "Content-Type": 'text/xml; charset="utf-8"',
      SOAPACTION: '"urn:schemas-upnp-org:service:ContentDirectory:1#Search"',
    },
    body,
  }).catch(() => undefined);
  const text = (await res?.text()) ?? "";
  return Number(/<TotalMatches>(\d+)<\/TotalMatches>/.exec(text)?.[1] ?? 0);
}
