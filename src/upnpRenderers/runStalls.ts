import type {RunClock} from "./runClock.js";

/**
 * The player out of audio this long, its track's source still to send more, is a stall a child
 * hears: shorter gaps (a busy converter) are not worth a line in the log.
 */
export const HEARD_STALL_S = 1;

/** What a run tells of a stall: it began (the player ran out of audio `at` that run second), or ended after `seconds`. */
export type StallNews = {kind: "began"; at: number} | {kind: "ended"; at: number; seconds: number};

/**
 * Watches one run for stalls the player hears: audio ran out (the clock caught up with what was
 * sent) while its track's source had more to send. Each stall is told twice, when it is heard and
 * when audio comes again with how long it lasted, never more: a source stalled for 16 s said
 * nothing at all before (its 20 s idle limit was never reached), and one line a second would flood
 * the log. Holds (a pause, an announcement over the cast) are no stall.
 */
export class RunStalls {
  #timer?: NodeJS.Timeout;
  /** The run second at which the player ran out, once that was told. */
  #ranOutAt?: number;

  constructor(
    readonly clock: RunClock,
    readonly tell: (news: StallNews) => void,
  ) {}

  /** Audio is about to go out: a stall told ends here; the next one is watched for once it is sent. */
  feeding(): void {
    const ranOutAt = this.#ranOutAt;
    if (ranOutAt === undefined) return;
    this.#ranOutAt = undefined;
    this.tell({kind: "ended", at: ranOutAt, seconds: Math.max(0, this.clock.elapsed() - ranOutAt)});
  }

  /** Audio went out, and the source may send more: the player is watched for running out of it. */
  watch(): void {
    clearTimeout(this.#timer);
    if (this.#ranOutAt !== undefined) return;
    const ahead = this.clock.sent - this.clock.elapsed();
    this.#timer = setTimeout(() => this.#check(), Math.max(50, (ahead + HEARD_STALL_S) * 1000));
    this.#timer.unref?.();
  }

  /** The track's source ended (or the run did): the player running out now is the end, not a stall. */
  quiet(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const out = this.clock.elapsed() - this.clock.sent;
    // Paused, or an announcement over it: the clock stands still; looked at again a little later.
    if (this.clock.held() || out < HEARD_STALL_S) {
      this.watch();
      return;
    }
    this.#ranOutAt = this.clock.sent;
    this.tell({kind: "began", at: this.clock.sent});
  }
}
