import {AppError} from "../core/errors.js";

/** How many announcements may wait for one player behind the one it is saying. */
export const MAX_WAITING = 10;

/** What a caller hears when its announcement was cancelled before it reached the player. */
export function cancelledError(playerName: string): AppError {
  return new AppError("announcement_cancelled", `The announcement on '${playerName}' was cancelled before it played`, {
    status: 409,
  });
}

interface Waiting {
  key: string;
  run: (signal: AbortSignal) => Promise<unknown>;
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface PlayerLine {
  current?: {key: string; controller: AbortController; promise: Promise<unknown>};
  waiting: Waiting[];
}

/** What a cancel did: how many waiting ones were dropped, and whether the one playing was stopped. */
export interface Cancelled {
  waiting: number;
  playing: boolean;
}

/**
 * Each player's announcements, one at a time in the order asked. Bounded: 1,000 messages once held
 * a player for half an hour, so at most MAX_WAITING wait and more are refused with the count; an
 * exact repeat of the one playing or of one still waiting joins it (its caller gets the same
 * outcome) instead of playing twice: an automation firing twice says it once. `cancel` drops those waiting and aborts the one playing through its signal.
 */
export class AnnounceQueue {
  readonly #lines = new Map<string, PlayerLine>();
  readonly #max: number;

  constructor(max = MAX_WAITING) {
    this.#max = max;
  }

  /** Run `run` for the player after the ones before it; `key` says which requests are the same. */
  enqueue<T>(playerId: string, playerName: string, key: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const line = this.#line(playerId);
    // A cancelled one still finishing is not joined: asked again after a Stop, it plays.
    const playing = line.current?.key === key && !line.current.controller.signal.aborted ? line.current : undefined;
    const same = playing ?? line.waiting.find((w) => w.key === key);
    if (same) return same.promise as Promise<T>;
    if (line.current && line.waiting.length >= this.#max)
      return Promise.reject(
        new AppError(
          "too_many_waiting",
          `'${playerName}' already has ${line.waiting.length} announcements waiting (the most one player may have): wait for them, or cancel them with DELETE /api/players/${playerId}/announce`,
          {status: 429},
        ),
      );
    let resolve!: (value: unknown) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    line.waiting.push({key, run: run as Waiting["run"], promise, resolve, reject});
    if (!line.current) this.#next(playerId, line);
    return promise as Promise<T>;
  }

  /** How many wait for the player (not counting the one playing). */
  waiting(playerId: string): number {
    return this.#lines.get(playerId)?.waiting.length ?? 0;
  }

  /** Whether the player is saying something now. */
  busy(playerId: string): boolean {
    return this.#lines.get(playerId)?.current !== undefined;
  }

  /** Drop what waits (each caller is told it was cancelled) and abort the one playing. */
  cancel(playerId: string, playerName: string): Cancelled {
    const line = this.#lines.get(playerId);
    if (!line) return {waiting: 0, playing: false};
    const dropped = line.waiting.splice(0);
    for (const w of dropped) w.reject(cancelledError(playerName));
    const playing = line.current !== undefined && !line.current.controller.signal.aborted;
    line.current?.controller.abort();
    return {waiting: dropped.length, playing};
  }

  /** Resolves once nothing runs or waits (the service stopping). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#lines.values()].flatMap((l) => l.waiting.map((w) => w.promise)));
  }

  #line(playerId: string): PlayerLine {
    let line = this.#lines.get(playerId);
    if (!line) {
      line = {waiting: []};
      this.#lines.set(playerId, line);
    }
    return line;
  }

  #next(playerId: string, line: PlayerLine): void {
    const head = line.waiting.shift();
    if (!head) {
      line.current = undefined;
      this.#lines.delete(playerId);
      return;
    }
    const controller = new AbortController();
    line.current = {key: head.key, controller, promise: head.promise};
    // The next one takes the line before this one's caller hears back: a caller that at once asks
    // for the same again must get a new announcement, not the finished one's answer.
    const settle = (answer: (value: unknown) => void) => (value: unknown) => {
      this.#next(playerId, line);
      answer(value);
    };
    head.run(controller.signal).then(settle(head.resolve), settle(head.reject));
  }
}
