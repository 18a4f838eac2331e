import {Worker} from "node:worker_threads";
import {clock} from "./clock.js";
import type {SkipKind} from "./enclosures.js";
import type {Episode, Skipped} from "./episodes.js";
import type {FeedConfig} from "./feedConfig.js";

/** What a refresh needs of a parsed feed: the episodes to hold and, bounded, why others are not held. */
export interface FeedParse {
  title?: string;
  /** The feed's cover address (its itunes:image), when it has one. */
  image?: string;
  /** Items in the feed, and how many of them are audio episodes. */
  items: number;
  episodes: number;
  chosen: Episode[];
  /** The first few items left out and why; `skippedMore` counts the rest. */
  skipped: Skipped[];
  skippedMore: number;
  /** How many were left out, by why. */
  counts: Partial<Record<SkipKind, number>>;
}

/** What a feed says of itself, as a refresh keeps it (each absent when this parse has none). */
export const aboutFeed = (p: FeedParse): Pick<FeedParse, "title" | "image"> => ({title: p.title, image: p.image});

/** Smaller feeds are parsed in place: a thread costs more than it saves. */
const OFF_THREAD_FROM_BYTES = 512 * 1024;
/** An 88,000-item feed reads in under 2 s here; a hostile one is stopped, not waited for. */
const PARSE_TIMEOUT_MS = 30_000;
/** A parse's own heap: a hostile 10 MB feed once took a gigabyte. */
const LIMITS = {maxOldGenerationSizeMb: 384};

/**
 * `summarise`, in a worker thread for a large feed: an 88,000-item feed blocked the event loop for
 * 2–3 s and kept 140–240 MB after. Under the TypeScript loader (tests, the demo) the worker loads
 * its source through tsx; built, it loads the compiled file.
 */
export async function parseFeedText(
  text: string,
  feedUrl: string,
  config: FeedConfig,
  options: {hidden?: string[]; signal?: AbortSignal; timeoutMs?: number} = {},
): Promise<FeedParse> {
  const hidden = options.hidden ?? [];
  // The parser (feedSummary.ts, with feedsmith) is loaded by the first feed read, not at start.
  if (text.length < OFF_THREAD_FROM_BYTES)
    return (await import("./feedSummary.js")).summarise({text, feedUrl, config, hidden});
  const fromSource = import.meta.url.endsWith(".ts");
  const file = new URL(fromSource ? "./parseWorker.ts" : "./parseWorker.js", import.meta.url);
  const worker = fromSource
    ? new Worker(
        `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(file.href)}); })`,
        {eval: true, workerData: {text, feedUrl, config, hidden}, resourceLimits: LIMITS},
      )
    : new Worker(file, {workerData: {text, feedUrl, config, hidden}, resourceLimits: LIMITS});
  const timeoutMs = options.timeoutMs ?? PARSE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const answer = await new Promise<{ok: true; result: FeedParse} | {ok: false; message: string}>(
      (resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", (err: NodeJS.ErrnoException) =>
          reject(
            err.code === "ERR_WORKER_OUT_OF_MEMORY"
              ? new Error(`the feed takes more than ${LIMITS.maxOldGenerationSizeMb} MB to read`)
              : err,
          ),
        );
        worker.once("exit", (code) => reject(new Error(`the feed's parser stopped (exit code ${code})`)));
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `the feed could not be read within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`,
              ),
            ),
          timeoutMs,
        );
        onAbort = () => reject(new Error("the service is stopping"));
        if (options.signal?.aborted) onAbort();
        options.signal?.addEventListener("abort", onAbort, {once: true});
      },
    );
    if (!answer.ok) throw new Error(answer.message);
    return answer.result;
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    await worker.terminate();
  }
}

const KIND_WORDS: Record<SkipKind, [string, string]> = {
  no_audio: ["without audio", "without audio"],
  video: ["video", "videos"],
  not_audio: ["not audio", "not audio"],
  bad_address: ["with an unusable audio address", "with unusable audio addresses"],
  short: ["shorter than skip_shorter_than", "shorter than skip_shorter_than"],
  twice: ["listed twice", "listed twice"],
};

/** "3 items left out: 2 without audio, 1 shorter than skip_shorter_than (see the stream's feed view)". */
export function skippedSummary(parse: FeedParse): string {
  const total = parse.skipped.length + parse.skippedMore;
  const parts = (Object.entries(parse.counts) as Array<[SkipKind, number]>).map(
    ([kind, n]) => `${n} ${KIND_WORDS[kind][n === 1 ? 0 : 1]}`,
  );
  return `${total} item${total === 1 ? "" : "s"} left out: ${parts.join(", ")} (the stream's feed view lists why)`;
}

/**
 * Why a feed gives nothing to hold, as the feed's error: a feed with no audio at all (a news feed,
 * a blog) was taken as healthy with 0 episodes, and a skip_shorter_than above every episode's
 * length emptied the stream without a word.
 */
export function notTakenError(parse: FeedParse, config: FeedConfig): string | undefined {
  if (parse.items === 0) return "this feed has no items";
  if (parse.episodes === 0)
    return `this feed has no audio episodes (${parse.items} item${parse.items === 1 ? "" : "s"}, none with an audio enclosure)`;
  if (parse.chosen.length === 0 && config.skipShorterThan !== undefined && (parse.counts.short ?? 0) > 0)
    return `every episode is shorter than skip_shorter_than (${clock(config.skipShorterThan)}): lower it or leave it out`;
  return undefined;
}
