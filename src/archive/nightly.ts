import {nextTimeOfDay, parseTimeOfDay, processTimeZone} from "../core/time/zoned.js";

// Timers longer than about 24.8 days overflow; a day is the most this ever waits, but be safe.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `task` every day at `at` ("HH:MM", the home's local time), one at a time; null never. The
 * next time is worked out after each run, so a clock change or a long run never doubles it.
 */
export class NightlyTimer {
  readonly #seconds: number | undefined;
  readonly #task: () => Promise<void>;
  #timer?: NodeJS.Timeout;
  #next?: number;

  constructor(at: string | null, task: () => Promise<void>) {
    this.#seconds = at === null ? undefined : parseTimeOfDay(at);
    this.#task = task;
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#next = undefined;
  }

  /** When it runs next (epoch ms), if it runs at all. */
  next(): number | undefined {
    return this.#next;
  }

  #schedule(): void {
    if (this.#seconds === undefined) return;
    const now = Date.now();
    this.#next = nextTimeOfDay(this.#seconds, now, processTimeZone());
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        void this.#task()
          .catch(() => undefined)
          .finally(() => {
            if (this.#next !== undefined) this.#schedule();
          });
      },
      Math.min(this.#next - now, MAX_TIMER_MS),
    );
    this.#timer.unref();
  }
}
