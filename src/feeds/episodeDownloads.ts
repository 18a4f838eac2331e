import {createReadStream} from "node:fs";
import {mkdir, rm} from "node:fs/promises";
import path from "node:path";
import {forEachLimited} from "../core/concurrency.js";
import {diskFullError, isDiskFull} from "../core/diskFull.js";
import {downloadTo} from "../core/download.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {Library} from "../library/library.js";
import type {FeedProgress} from "../shared/api/streams.js";
import type {Episode} from "./episodes.js";

/** An episode the stream holds, and the library item it became. */
export interface KeptEpisode extends Episode {
  itemId: string;
}

/** What one refresh downloads with. */
export interface EpisodeDownloads {
  stream: string;
  library: Library;
  downloadDir: string;
  maxBytes: number;
  normalize: boolean;
  ffmpegPath: () => string | undefined;
  fetchPolicy?: FetchPolicy;
  /** Aborts downloads under way (the service stopping). */
  signal: AbortSignal;
  stopped: () => boolean;
  progress: (progress: FeedProgress) => void;
}

const EPISODE_TIMEOUT_MS = 10 * 60_000;

/**
 * Every wanted episode as a library item: those held already, the others downloaded now, two at a
 * time (a download waits on the network while the other's ffmpeg has a core). An episode that
 * cannot be had is returned with why; a full disk fails the whole refresh (the last good episodes stay).
 */
export async function downloadEpisodes(
  ctx: EpisodeDownloads,
  held: readonly KeptEpisode[],
  wanted: readonly Episode[],
): Promise<{kept: KeptEpisode[]; skipped: Array<{title: string; reason: string}>}> {
  const byKey = new Map(held.map((e) => [e.key, e]));
  const heldItem = (e: Episode) => {
    const id = byKey.get(e.key)?.itemId;
    return id !== undefined && ctx.library.get(id) ? id : undefined;
  };
  const toFetch = wanted.filter((e) => heldItem(e) === undefined);
  const fetched = new Map<string, string>();
  const failed = new Map<string, string>();
  let diskFull: unknown;
  let done = 0;
  // Two at a time: the progress names one still under way, and moves on as each ends.
  const underWay = new Set<string>();
  const report = () => {
    const title = underWay.values().next().value;
    if (title !== undefined) ctx.progress({done, total: toFetch.length, title});
  };
  await forEachLimited(toFetch, 2, async (episode) => {
    if (ctx.stopped() || diskFull) return;
    underWay.add(episode.title);
    report();
    try {
      fetched.set(episode.key, await addEpisode(ctx, episode));
    } catch (err) {
      // Our disk, not the episode: the whole refresh fails and the last good episodes stay.
      if (err instanceof AppError && err.status === 507) diskFull = err;
      else failed.set(episode.key, errorMessage(err));
    }
    underWay.delete(episode.title);
    done++;
    report();
  });
  if (diskFull) throw diskFull;
  if (ctx.stopped()) throw new Error("the service is stopping");
  const kept: KeptEpisode[] = [];
  const skipped: Array<{title: string; reason: string}> = [];
  for (const episode of wanted) {
    const itemId = heldItem(episode) ?? fetched.get(episode.key);
    if (itemId !== undefined) kept.push({...episode, itemId});
    else skipped.push({title: episode.title, reason: failed.get(episode.key) ?? "not downloaded"});
  }
  return {kept, skipped};
}

/** One episode downloaded, checked and normalised like an upload; the download is removed either way. */
async function addEpisode(ctx: EpisodeDownloads, episode: Episode): Promise<string> {
  const dir = ctx.downloadDir;
  const file = path.join(dir, `${ctx.stream}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  try {
    await mkdir(dir, {recursive: true}).catch((err: unknown) => {
      throw isDiskFull(err) ? diskFullError(dir, err) : err;
    });
    await downloadTo(episode.url, file, {
      maxBytes: ctx.maxBytes,
      timeoutMs: EPISODE_TIMEOUT_MS,
      signal: ctx.signal,
      policy: ctx.fetchPolicy,
    }).catch((err: unknown) => {
      // Our disk, not the episode's host: the caller fails the whole refresh on it.
      throw isDiskFull(err) ? diskFullError(dir, err) : err;
    });
    const extension = path.extname(new URL(episode.url).pathname).toLowerCase() || ".mp3";
    const item = await ctx.library.upload({
      body: createReadStream(file),
      filename: `${episode.title.replaceAll("/", "-")}${extension}`,
      title: episode.title,
      maxBytes: ctx.maxBytes,
      normalize: ctx.normalize,
      channels: "mono",
      ffmpegPath: ctx.ffmpegPath(),
      folder: ["feeds", ctx.stream],
    });
    return item.id;
  } finally {
    await rm(file, {force: true});
  }
}
