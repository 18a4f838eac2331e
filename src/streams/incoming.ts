import {errorMessage} from "../core/errors.js";

/** A library item on its way: a media server's track being fetched, an archived file being made playable. */
export interface PendingItem {
  title: string;
  id: Promise<string>;
}

/** A track that could not be added to a queue, and why. */
export interface NotAdded {
  title: string;
  reason: string;
}

type Outcome = {id: string} | {error: unknown};

/** One place in a change's order: library ids known at once, or an item on its way. */
interface Entry {
  ids?: string[];
  pending?: PendingItem;
  outcome?: Outcome;
  settled?: Promise<void>;
}

/**
 * The items one queue change adds, in the order asked, while those on their way arrive (each at its
 * own pace, several at once): what has come from the start is taken to be placed, the rest waited
 * for. Aborting stops the items not started yet (the signal their makers were given).
 */
export class Incoming {
  readonly #entries: Entry[] = [];
  readonly #abort = new AbortController();
  #next = 0;

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Library ids known now. */
  addIds(ids: string[]): void {
    if (ids.length > 0) this.#entries.push({ids});
  }

  /** An item on its way; its failure is kept (and so handled) until it is taken. */
  addPending(pending: PendingItem): void {
    const entry: Entry = {pending};
    entry.settled = pending.id.then(
      (id) => {
        entry.outcome = {id};
      },
      (error: unknown) => {
        entry.outcome = {error};
      },
    );
    this.#entries.push(entry);
  }

  /** How many items on their way the change asked for. */
  get pendingCount(): number {
    return this.#entries.filter((e) => e.pending).length;
  }

  /** Items not taken yet (each id known now, each item on its way): room the queue must keep for them. */
  get waiting(): number {
    return this.#entries.slice(this.#next).reduce((n, e) => n + (e.ids?.length ?? 1), 0);
  }

  get finished(): boolean {
    return this.#next >= this.#entries.length;
  }

  /**
   * Resolves once the first item on its way has come (and all before it settled), every item has
   * settled, or `ms` have passed: the moment a change can answer with something to play.
   */
  async first(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    const arrived = (async () => {
      for (const entry of this.#entries) {
        if (!entry.pending) continue;
        await entry.settled;
        if (entry.outcome && "id" in entry.outcome) return;
      }
    })();
    await Promise.race([arrived, deadline]);
    clearTimeout(timer);
  }

  /** When every item on its way failed: the first one's error (the change adds nothing then). */
  allFailed(): {error: unknown} | undefined {
    const outcomes = this.#entries.filter((e) => e.pending).map((e) => e.outcome);
    const first = outcomes[0];
    if (!first || !outcomes.every((o) => o && "error" in o)) return undefined;
    return first as {error: unknown};
  }

  /**
   * What has settled from the start and was not taken before: ids to place in order (`titles` of
   * those that were on their way), failures, and how many items on their way that is.
   */
  take(): {ids: string[]; titles: string[]; failed: NotAdded[]; settled: number} {
    const ids: string[] = [];
    const titles: string[] = [];
    const failed: NotAdded[] = [];
    let settled = 0;
    for (; this.#next < this.#entries.length; this.#next++) {
      const entry = this.#entries[this.#next] as Entry;
      if (entry.ids) {
        ids.push(...entry.ids);
        continue;
      }
      const outcome = entry.outcome;
      if (!outcome) break;
      settled++;
      if ("id" in outcome) {
        ids.push(outcome.id);
        titles.push(entry.pending?.title ?? "");
      } else failed.push({title: entry.pending?.title ?? "", reason: errorMessage(outcome.error)});
    }
    return {ids, titles, failed, settled};
  }

  /** Resolves when the next entry to take has settled (at once when it has, or none is left). */
  async nextSettled(): Promise<void> {
    await this.#entries[this.#next]?.settled;
  }

  async everySettled(): Promise<void> {
    await Promise.all(this.#entries.slice(this.#next).map((e) => e.settled));
  }

  /** Stop what has not started; the items not taken are given up with `reason`. */
  abandon(reason: string): NotAdded[] {
    this.#abort.abort(new Error(reason));
    const left = this.#entries.slice(this.#next).flatMap((e) => (e.pending ? [{title: e.pending.title, reason}] : []));
    this.#next = this.#entries.length;
    return left;
  }
}
