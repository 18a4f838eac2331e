import {AppError, errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {StreamAdding} from "../shared/api/streams.js";
import {Incoming, type NotAdded, type PendingItem} from "./incoming.js";
import type {StreamState} from "./model.js";

/**
 * How long a change waits (from its start) for the first item on its way before it answers with
 * what it has: a track is usually in long before; a slow one (a big audiobook part, a NAS waking its disks) must
 * not hold the panel, a rule or Home Assistant waiting.
 */
export const FIRST_WAIT_MS = 2000;
/** Items that arrive meanwhile are placed together at most this often: each placement is a new version of the queue. */
const PLACE_EVERY_MS = 500;
const FAILED_LISTED = 20;
const FAILED_LOGGED = 3;

/**
 * Where a change's later items go: after the last item it placed, or (none placed yet) at `at` of
 * the queue it left at `version`.
 */
export interface Anchor {
  after?: string;
  at: number | "end";
  version: number;
}

/** Makes a reference (a media server's `dlna:` track or folder) into library items on their way. */
export type RefExpander = (ref: string, signal: AbortSignal) => Promise<PendingItem[]>;

/**
 * Items a caller makes itself (an archived card's files), given in place of a reference: started
 * when the change asks, and those not started yet stopped when `signal` aborts.
 */
export type ItemsMaker = (signal: AbortSignal) => PendingItem[];

/** What a queue change is given: library references (or expandable ones), and items a caller makes. */
export type QueueInput = string | ItemsMaker;

export interface FillsOptions {
  bus: EventBus;
  log: Logger;
  /** How long a change waits for its first item on the way (default FIRST_WAIT_MS). */
  firstWaitMs?: number;
  /** Library ids for plain references (throws, naming every one that is not in the library). */
  resolve: (refs: string[]) => string[];
  /** Put `ids` into the queue at the anchor, answering the new state; throws when they cannot go in. */
  place: (name: string, anchor: Anchor, ids: string[]) => Promise<StreamState>;
}

interface Fill {
  incoming: Incoming;
  anchor: Anchor;
  /** Why it stopped before its end, once it did. */
  stop?: string;
  /** The family ended it (cleared the queue, deleted the stream): what is left out is no failure. */
  wanted?: false;
  wake: () => void;
  woken: Promise<void>;
  done?: Promise<void>;
  /** Tracks it left out because the family changed the queue (not failures). */
  leftOut: number;
  failed: NotAdded[];
}

interface Progress {
  active: Set<Fill>;
  done: number;
  total: number;
  failed: NotAdded[];
  failedCount: number;
}

/**
 * Queue changes whose items arrive after the change answers: the answer comes with the first
 * track in, and the rest are placed after it in order as they come, a batch at a time, with the
 * progress (and every track that could not be added, with why) in the stream's `adding`.
 */
export class StreamFills {
  readonly #opts: FillsOptions;
  readonly #expanders = new Map<string, RefExpander>();
  readonly #progress = new Map<string, Progress>();

  constructor(opts: FillsOptions) {
    this.#opts = opts;
  }

  register(prefix: string, expand: RefExpander): void {
    this.#expanders.set(prefix, expand);
  }

  /** References as given, those with a registered prefix waited for as library ids (a card, a preset): any failure fails the whole. */
  async settleAll(refs: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    const controller = new AbortController();
    try {
      for (const ref of refs) {
        const expand = this.#expanderFor(ref);
        if (!expand) {
          out.push(ref);
          continue;
        }
        const items = await expand(ref, controller.signal);
        // Every failure is handled from the start: only the first in order is the answer.
        for (const item of items) item.id.catch(() => undefined);
        for (const item of items) out.push(await item.id);
      }
    } catch (err) {
      controller.abort();
      throw err;
    }
    return out;
  }

  /**
   * A queue change that may add items on their way. `apply` makes it with the ids in once the
   * first of them came (or `firstWaitMs`, else FIRST_WAIT_MS, passed: 0 takes what is in now),
   * given how many are still to come; the others are placed after them as they arrive. When every
   * item on its way failed by then, the change fails with the first one's error and changes nothing.
   */
  async change(
    name: string,
    given: readonly QueueInput[],
    at: number | "end",
    apply: (ids: string[], waiting: number) => Promise<StreamState>,
    firstWaitMs?: number,
  ): Promise<StreamState> {
    const started = performance.now();
    const incoming = await this.#expand(given);
    // Counted from the request: a big folder's listing has taken some of it already.
    const wait = firstWaitMs ?? this.#opts.firstWaitMs ?? FIRST_WAIT_MS;
    if (incoming.pendingCount > 0) await incoming.first(Math.max(0, wait - (performance.now() - started)));
    const failure = incoming.allFailed();
    if (failure) throw failure.error;
    const first = incoming.take();
    let state: StreamState;
    try {
      state = await apply(first.ids, incoming.waiting);
    } catch (err) {
      incoming.abandon(errorMessage(err));
      throw err;
    }
    if (incoming.pendingCount > 0)
      this.#begin(name, incoming, first, {after: first.ids.at(-1), at, version: state.version});
    return state;
  }

  /** What is on its way into `name`, and what could not be added. */
  view(name: string): StreamAdding | null {
    const p = this.#progress.get(name);
    if (!p) return null;
    return {
      under_way: p.active.size > 0,
      done: p.done,
      total: p.total,
      failed: p.failed,
      failed_count: p.failedCount,
    };
  }

  /** The queue was cleared or the stream deleted: what is on its way is not wanted any more. */
  forget(name: string, reason: string): void {
    const progress = this.#progress.get(name);
    if (!progress) return;
    this.#progress.delete(name);
    for (const fill of progress.active) {
      fill.stop = reason;
      fill.wanted = false;
      fill.wake();
    }
  }

  /** The service stops: every change still under way ends, what it did not place logged as not added. */
  async stop(): Promise<void> {
    const fills = [...this.#progress.values()].flatMap((p) => [...p.active]);
    for (const fill of fills) {
      fill.stop ??= "the service stopped before it came";
      fill.wake();
    }
    await Promise.all(fills.map((f) => f.done));
    this.#progress.clear();
  }

  #expanderFor(ref: string): RefExpander | undefined {
    for (const [prefix, expand] of this.#expanders) if (ref.startsWith(prefix)) return expand;
    return undefined;
  }

  /** Plain references checked before anything is fetched (one answer names every unknown one), then expanded in order. */
  async #expand(given: readonly QueueInput[]): Promise<Incoming> {
    const incoming = new Incoming();
    const plain = given.filter((r): r is string => typeof r === "string" && !this.#expanderFor(r));
    const ids = this.#opts.resolve(plain);
    if (plain.length === given.length) {
      incoming.addIds(ids);
      return incoming;
    }
    try {
      let group: string[] = [];
      for (const ref of given) {
        const expand = typeof ref === "string" ? this.#expanderFor(ref) : undefined;
        if (typeof ref === "string" && !expand) {
          group.push(ref);
          continue;
        }
        incoming.addIds(this.#opts.resolve(group));
        group = [];
        const items =
          typeof ref === "string" ? await (expand as RefExpander)(ref, incoming.signal) : ref(incoming.signal);
        for (const item of items) incoming.addPending(item);
      }
      incoming.addIds(this.#opts.resolve(group));
    } catch (err) {
      incoming.abandon(errorMessage(err));
      throw err;
    }
    return incoming;
  }

  #begin(name: string, incoming: Incoming, first: ReturnType<Incoming["take"]>, anchor: Anchor): void {
    let progress = this.#progress.get(name);
    if (!progress || progress.active.size === 0) {
      progress = {active: new Set(), done: 0, total: 0, failed: [], failedCount: 0};
      this.#progress.set(name, progress);
    }
    progress.total += incoming.pendingCount;
    progress.done += first.settled;
    let wake = () => {};
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const fill: Fill = {incoming, anchor, wake, woken, leftOut: 0, failed: []};
    this.#fail(progress, fill, first.failed);
    progress.active.add(fill);
    fill.done = this.#run(name, fill, progress);
  }

  async #run(name: string, fill: Fill, progress: Progress): Promise<void> {
    const {incoming} = fill;
    this.#emit(name, progress);
    let quietly = false;
    try {
      while (!incoming.finished && fill.stop === undefined) {
        await Promise.race([incoming.nextSettled(), fill.woken]);
        if (fill.stop !== undefined) break;
        const batch = incoming.take();
        progress.done += batch.settled;
        this.#fail(progress, fill, batch.failed);
        if (batch.ids.length > 0) {
          try {
            const state = await this.#opts.place(name, fill.anchor, batch.ids);
            fill.anchor = {...fill.anchor, after: batch.ids.at(-1), version: state.version};
          } catch (err) {
            // The family changed the queue under it (replaced, cleared, took out what it followed):
            // what is still on its way is not wanted there any more.
            quietly = err instanceof AppError && err.code === QUEUE_CHANGED;
            fill.stop = errorMessage(err);
            if (quietly) fill.leftOut += batch.titles.length;
            else
              this.#fail(
                progress,
                fill,
                batch.titles.map((title) => ({title, reason: errorMessage(err)})),
              );
            break;
          }
        }
        this.#emit(name, progress);
        if (!incoming.finished) await pause(PLACE_EVERY_MS, [incoming.everySettled(), fill.woken]);
      }
    } catch (err) {
      fill.stop = errorMessage(err);
    }
    quietly ||= fill.wanted === false;
    if (!incoming.finished) {
      const left = incoming.abandon(fill.stop ?? "stopped");
      if (quietly) {
        progress.total -= left.length;
        fill.leftOut += left.length;
      } else {
        progress.done += left.length;
        this.#fail(progress, fill, left);
      }
    }
    progress.active.delete(fill);
    if (progress.active.size === 0 && progress.failedCount === 0 && this.#progress.get(name) === progress)
      this.#progress.delete(name);
    this.#emit(name, progress);
    this.#report(name, fill, quietly);
  }

  #fail(progress: Progress, fill: Fill, failed: NotAdded[]): void {
    fill.failed.push(...failed);
    progress.failedCount += failed.length;
    progress.failed.push(...failed.slice(0, Math.max(0, FAILED_LISTED - progress.failed.length)));
  }

  #emit(name: string, progress: Progress): void {
    // A stream deleted or cleared meanwhile has nothing on its way any more.
    const view = this.#progress.get(name) === progress ? this.view(name) : null;
    this.#opts.bus.emit("stream.addProgress", {
      stream: name,
      ...(view ?? {under_way: false, done: progress.done, total: progress.total, failed: [], failed_count: 0}),
    });
  }

  #report(name: string, fill: Fill, quietly: boolean): void {
    if (quietly) {
      if (fill.leftOut > 0)
        this.#opts.log.info(`Stream '${name}': ${fill.leftOut} track(s) on their way were left out: ${fill.stop}`);
      return;
    }
    if (fill.failed.length === 0) return;
    const listed = fill.failed
      .slice(0, FAILED_LOGGED)
      .map((f) => `'${f.title}' (${f.reason})`)
      .join("; ");
    const more = fill.failed.length > FAILED_LOGGED ? `; and ${fill.failed.length - FAILED_LOGGED} more` : "";
    this.#opts.log.warning(
      `Stream '${name}': ${fill.failed.length} of ${fill.incoming.pendingCount} track(s) could not be added: ${listed}${more}`,
    );
  }
}

const QUEUE_CHANGED = "queue_changed";

/** Where the next items of a change go in `stream`'s queue (see Anchor); throws when the queue no longer has that place. */
export function placeAt(stream: Pick<StreamState, "items" | "version">, anchor: Anchor): number {
  if (anchor.after !== undefined) {
    const at = stream.items.lastIndexOf(anchor.after);
    if (at < 0) throw queueChanged("no longer holds the tracks placed before them");
    return at + 1;
  }
  if (anchor.at === "end") return stream.items.length;
  if (stream.version !== anchor.version) throw queueChanged("was changed before the first of them came");
  return Math.min(anchor.at, stream.items.length);
}

function queueChanged(how: string): AppError {
  return new AppError(QUEUE_CHANGED, `the queue ${how}`, {status: 409});
}

/** `ms`, or sooner when one of `wakers` settles. */
async function pause(ms: number, wakers: Promise<unknown>[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([elapsed, ...wakers]);
  clearTimeout(timer);
}
