import {createWriteStream} from "node:fs";
import {mkdir, readFile} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {pipeline} from "node:stream/promises";
import {App} from "../src/app/app.js";
import {defaultConfig} from "../src/config/schema.js";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {Logger} from "../src/core/logger.js";
import {type FeedEpisode, FeedServer} from "../test/helpers/feedServer.js";
import {quantile} from "./cloud.js";
import {sized, table} from "./lib.js";

const EPISODES = sized(50, 3);
const UNCHANGED_RUNS = sized(30, 2);
const NEW_RUNS = sized(10, 2);
const STREAM = "bench_feed";

type Row = Record<string, string | number>;

/**
 * Feed refresh (#21), the whole service (App on loopback) against a loopback podcast host with a
 * 50-episode RSS feed (one 1 s MP3 served under a path per episode), the stream keeping 50:
 * - first refresh: follow + refresh that downloads, checks and normalises all 50 (one sample);
 * - nothing changed: `POST /api/streams/<name>/feed/refresh` on the admin listener, against a bare
 *   `http.get` of the feed with If-None-Match (the 304 round trip alone); the host's request log
 *   must show exactly one conditional GET (304) per refresh and no audio request;
 * - one new episode: a new item at the top of the feed (new ETag), the refresh that takes it in and
 *   lets the oldest go, against a bare `http.get` of that episode's file plus one ffmpeg transcode to
 *   128k mono 44.1 kHz MP3 (the unavoidable work; the service's transcode also runs loudnorm).
 * Ratios are ours / baseline at p50.
 */
export async function feedsBench(workDir: string): Promise<Row[]> {
  const root = path.join(workDir, "feeds");
  await mkdir(path.join(root, "media"), {recursive: true});
  const ffmpeg = requireFfmpeg().path;
  const tone = path.join(root, "tone.mp3");
  await runFfmpeg(ffmpeg, ["-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-b:a", "128k", tone]);
  const audio = await readFile(tone);

  const host = new FeedServer();
  await host.start();
  const episode = (n: number): FeedEpisode => {
    host.files.set(`/audio/${n}.mp3`, audio);
    const published = new Date(Date.UTC(2026, 0, 1) + n * 3600_000).toISOString();
    return {guid: `ep-${n}`, title: `Episode ${n}`, published, path: `/audio/${n}.mp3`, duration: 1};
  };
  host.episodes = Array.from({length: EPISODES}, (_, i) => episode(i + 1));
  const app = new App({
    config: {
      ...defaultConfig(false),
      data_dir: path.join(root, "data"),
      media_dirs: [path.join(root, "media")],
      rules_dir: path.join(root, "rules"),
      audio_port: 0,
      ingress_port: 0,
      embedded_broker_port: 0,
      // The feed's host is on this machine.
      fetch_allow: ["127.0.0.1"],
    },
    log: new Logger({level: "error"}),
    host: "127.0.0.1",
    ffmpegPath: ffmpeg,
  });
  await app.start();
  const agent = new http.Agent({keepAlive: true});
  try {
    const streamUrl = `${app.admin.url}/api/streams/${STREAM}`;
    const feedUrl = `${host.url}/feed.xml`;

    const started = performance.now();
    await request(agent, "PUT", streamUrl, {feed: {url: feedUrl, keep: EPISODES}});
    let view = await request(agent, "POST", `${streamUrl}/feed/refresh`);
    const first = performance.now() - started;
    const firstRequests = host.log.length;
    if (view.episodes.length !== EPISODES || view.error !== null)
      throw new Error(`bench: first refresh kept ${view.episodes.length} episode(s), error ${view.error}`);

    await request(agent, "POST", `${streamUrl}/feed/refresh`); // warm-up
    const logged = host.log.length;
    const unchanged = await timed(UNCHANGED_RUNS, () => request(agent, "POST", `${streamUrl}/feed/refresh`));
    const seen = host.log.slice(logged);
    const perRefresh = seen.length / UNCHANGED_RUNS;
    if (
      seen.length !== UNCHANGED_RUNS ||
      seen.some((r) => r.path !== "/feed.xml" || r.status !== 304 || !r.conditional)
    )
      throw new Error(
        `bench: an unchanged refresh should be one conditional GET answered 304; saw ${perRefresh} request(s) per refresh: ${JSON.stringify(seen.slice(0, 5))}`,
      );

    const etag = (await get(agent, feedUrl)).headers.etag as string;
    const bare304 = await timed(UNCHANGED_RUNS, async () => {
      const res = await get(agent, feedUrl, {"If-None-Match": etag});
      if (res.statusCode !== 304) throw new Error(`bench: the bare conditional GET answered ${res.statusCode}`);
    });

    let next = EPISODES;
    const newLogged = host.log.length;
    const oneNew = await timed(NEW_RUNS, async () => {
      host.episodes.push(episode(++next));
      host.bump();
      view = await request(agent, "POST", `${streamUrl}/feed/refresh`);
    });
    const newRequests = (host.log.length - newLogged) / NEW_RUNS;
    const titles = view.episodes.map((e: {title: string}) => e.title);
    if (
      titles.length !== EPISODES ||
      !titles.includes(`Episode ${next}`) ||
      titles.includes(`Episode ${next - EPISODES}`)
    )
      throw new Error(`bench: after the new episodes the stream holds ${titles.length}: ${titles.slice(0, 3)}…`);

    const scratch = path.join(root, "baseline");
    await mkdir(scratch, {recursive: true});
    const bareNew = await timed(NEW_RUNS, async () => {
      const res = await get(agent, `${host.url}/audio/${next}.mp3`, {}, false);
      await pipeline(res, createWriteStream(path.join(scratch, "in.mp3")));
      const args = ["-y", "-i", path.join(scratch, "in.mp3"), "-vn", "-codec:a", "libmp3lame"];
      await runFfmpeg(ffmpeg, [...args, "-b:a", "128k", "-ar", "44100", "-ac", "1", path.join(scratch, "out.mp3")]);
    });

    const row = (name: string, samples: number[], requests: number | string): Row => ({
      case: name,
      runs: samples.length,
      p50_ms: quantile(samples, 0.5).toFixed(2),
      p99_ms: quantile(samples, 0.99).toFixed(2),
      feed_host_requests_per_refresh: requests,
    });
    const ratio = (ours: number[], base: number[]) => (quantile(ours, 0.5) / quantile(base, 0.5)).toFixed(2);
    const rows = [
      row(`first refresh, ${EPISODES} new episodes`, [first], firstRequests),
      row("bare conditional GET, 304 (baseline)", bare304, 1),
      row("refresh, nothing changed", unchanged, perRefresh),
      row("bare episode GET + ffmpeg transcode (baseline)", bareNew, 1),
      row("refresh, one new episode", oneNew, newRequests),
      {
        ...row("ratio p50 (nothing changed / bare 304)", [], ""),
        runs: "",
        p50_ms: ratio(unchanged, bare304),
        p99_ms: "",
      },
      {...row("ratio p50 (one new / bare GET + ffmpeg)", [], ""), runs: "", p50_ms: ratio(oneNew, bareNew), p99_ms: ""},
    ];
    console.log(
      `\nFeed refresh, ${EPISODES} episodes kept (${UNCHANGED_RUNS} unchanged refreshes, ${NEW_RUNS} with one new episode)\n${table(rows)}`,
    );
    return rows;
  } finally {
    agent.destroy();
    await app.stop();
    await host.stop();
  }
}

async function timed(runs: number, run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** A GET whose answer is returned unread (`drain` false) or read and dropped. */
function get(agent: http.Agent, url: string, headers: Record<string, string> = {}, drain = true) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    http
      .get(url, {agent, headers}, (res) => {
        if (!drain) return resolve(res);
        res.resume().on("end", () => resolve(res));
      })
      .on("error", reject);
  });
}

/** An admin API call with a JSON body; the parsed answer, or an error unless it is 2xx. */
// biome-ignore lint/suspicious/noExplicitAny: the feed view's shape is what the checks read
function request(agent: http.Agent, method: string, url: string, body?: unknown): Promise<any> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {method, agent, headers: data ? {"Content-Type": "application/json"} : {}}, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) reject(new Error(`bench: ${method} ${url} answered ${status}: ${text}`));
        else resolve(text ? JSON.parse(text) : {});
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}
