import http from "node:http";
import path from "node:path";
import {App} from "../src/app/app.js";
import {defaultConfig} from "../src/config/schema.js";
import {requireFfmpeg} from "../src/core/ffmpeg.js";
import {Logger} from "../src/core/logger.js";
import {ContentDirectory} from "../src/mediaServers/contentDirectory.js";
import {startMiniDlnaProcess} from "../test/helpers/miniDlnaProcess.js";
import {sized, table} from "./lib.js";
import {findFolder, toneFolders} from "./nasFolders.js";

type Row = Record<string, string | number>;
const TRACKS = sized(500, 6);
/** Normalising makes each track again with ffmpeg: a smaller folder says as much in less time. */
const NORMALIZED_TRACKS = sized(50, 4);

/**
 * A media server folder's "Add all" (`POST /api/streams/<name>/queue` with the folder's ref), against
 * Debian's MiniDLNA on loopback holding a folder of 500 two-second MP3s: how long until the answer,
 * and until every track is in the stream, each against a bare download of the same files from the
 * same server one after the other (what fetching them costs at the least). Normalising off (MP3s
 * kept as they are), and on (each made again by ffmpeg) with a folder of 50. A fresh service each
 * time: nothing cached.
 */
export async function addAllBench(workDir: string): Promise<Row[]> {
  const root = path.join(workDir, "add-all");
  const ffmpeg = requireFfmpeg().path;
  await toneFolders(ffmpeg, path.join(root, "media"), [
    {name: "Audiobook", count: TRACKS, prefix: "Part"},
    {name: "Stories", count: NORMALIZED_TRACKS, prefix: "Story"},
  ]);
  const nas = await startMiniDlnaProcess(root, path.join(root, "media"), TRACKS + NORMALIZED_TRACKS);
  const agent = new http.Agent({keepAlive: true});
  try {
    const rows: Row[] = [];
    for (const normalize of [false, true]) {
      const count = normalize ? NORMALIZED_TRACKS : TRACKS;
      const app = await startService(path.join(root, normalize ? "on" : "off"), ffmpeg, normalize);
      try {
        const server = await app.sources.add(nas.descriptionUrl);
        const browse = async (object: string) => {
          const page = await app.sources.browse(server.id, {object, count: 500});
          return page.items;
        };
        const folder = await findFolder(browse, ["Music", "Folders", normalize ? "Stories" : "Audiobook"]);
        // The baseline first: the server's own disk cache is warm for both.
        const urls = await trackUrls(nas.controlUrl, folder.id);
        if (urls.length !== count) throw new Error(`bench: the folder lists ${urls.length} of ${count} tracks`);
        const bareStarted = performance.now();
        for (const url of urls) await download(agent, url);
        const bare = performance.now() - bareStarted;

        const filled = whenFilled(app, "book", count);
        // Awaited after the answer: a failure meanwhile is reported there, not as an unhandled one.
        filled.catch(() => undefined);
        const started = performance.now();
        const answer = await postJson(agent, `${app.admin.url}/api/streams/book/queue`, {items: [folder.ref]});
        const answered = performance.now() - started;
        await filled;
        const whole = performance.now() - started;
        const label = normalize ? "normalising on" : "normalising off";
        rows.push(
          {
            case: `Add all of ${count} tracks, ${label}: the answer (${answer.items} in it), ms`,
            ours: answered.toFixed(0),
            baseline: `${bare.toFixed(0)} (bare download of the ${count} files, one after the other)`,
            ratio: (answered / bare).toFixed(2),
          },
          {
            case: `Add all of ${count} tracks, ${label}: every track in the stream, ms`,
            ours: whole.toFixed(0),
            baseline: `${bare.toFixed(0)} (the same)`,
            ratio: (whole / bare).toFixed(2),
          },
        );
      } finally {
        await app.stop();
      }
    }
    console.log(`\nAdd all of a media server folder\n${table(rows)}`);
    return rows;
  } finally {
    agent.destroy();
    await nas.stop();
  }
}

async function startService(dir: string, ffmpeg: string, normalize: boolean): Promise<App> {
  const app = new App({
    config: {
      ...defaultConfig(false),
      data_dir: path.join(dir, "data"),
      media_dirs: [path.join(dir, "library")],
      rules_dir: path.join(dir, "rules"),
      audio_port: 0,
      ingress_port: 0,
      embedded_broker_port: 0,
      media_discovery: false,
      audio_normalize: normalize,
      media_server_cache_mb: 4096,
    },
    log: new Logger({level: "error"}),
    host: "127.0.0.1",
    ffmpegPath: ffmpeg,
  });
  await app.start();
  return app;
}

/**
 * Resolves once nothing is on its way into the stream any more (the service's own `stream.addProgress`),
 * and fails unless it then holds all `count` tracks: a track left out must not pass for a fast run.
 */
function whenFilled(app: App, name: string, count: number): Promise<void> {
  const owner = {};
  return new Promise<void>((resolve, reject) => {
    app.bus.on(owner, "stream.addProgress", (event) => {
      if (event.stream !== name || event.under_way) return;
      app.bus.off(owner);
      const held = app.streams.get(name).items.length;
      if (held === count) resolve();
      else reject(new Error(`bench: the stream holds ${held} of ${count} tracks: ${JSON.stringify(event)}`));
    });
  });
}

/** Each track's own address on the server, as its listing gives it. */
async function trackUrls(controlUrl: string, folderId: string): Promise<string[]> {
  const page = await new ContentDirectory(controlUrl).browse(folderId, 0, 500);
  return page.entries.map((e) => e.audioUrl).filter((u): u is string => u !== null);
}

function download(agent: http.Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, {agent}, (res) => {
        if (res.statusCode !== 200) reject(new Error(`bench: ${url} answered ${res.statusCode}`));
        res.resume();
        res.on("end", resolve);
      })
      .on("error", reject);
  });
}

function postJson(agent: http.Agent, url: string, body: unknown): Promise<{items: number}> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {method: "POST", agent, headers: {"Content-Type": "application/json"}}, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode !== 200) reject(new Error(`bench: POST answered ${res.statusCode}: ${text}`));
        else resolve({items: (JSON.parse(text) as {stream: {items: unknown[]}}).stream.items.length});
      });
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}
