/** Why a run's clock stands still: the player paused, or an announcement plays over the cast. */
export type ClockHold = "paused" | "interrupted";

/**
 * A queue run's clock: the seconds of audio the player has heard, not the time since Play. It runs
 * from the run's first byte, stands still while the player is paused or an announcement plays over
 * the cast, and never gets ahead of the audio sent: a source that stalls leaves the player with
 * nothing to play, so the position waits where the audio ran out and goes on when audio comes
 * again (a 20 s stall had the position at 0:20 of a 0:12 track, and the queue stopped early).
 */
export class RunClock {
  #startedAt?: number;
  /** Time not heard: holds that ended, and stretches the player had nothing to play. */
  #unheardMs = 0;
  readonly #holds = new Map<ClockHold, number>();
  /** Seconds of audio sent to the player in this run. */
  #sent = 0;

  constructor(readonly now: () => number = Date.now) {}

  get started(): boolean {
    return this.#startedAt !== undefined;
  }

  /** The first byte went out. */
  start(): void {
    this.#startedAt ??= this.now();
  }

  /** Seconds the player has been playing for (or waiting for audio), holds taken out. */
  elapsed(): number {
    if (this.#startedAt === undefined) return 0;
    const holds = [...this.#holds.values()];
    // While held, the clock stands at the moment the first hold began.
    const end = holds.length > 0 ? Math.min(...holds) : this.now();
    return Math.max(0, (end - this.#startedAt - this.#unheardMs) / 1000);
  }

  /** Seconds the player has heard: what elapsed, no more than what it was sent. */
  heard(): number {
    return Math.min(this.elapsed(), this.#sent);
  }

  get sent(): number {
    return this.#sent;
  }

  /**
   * `seconds` more audio goes out. If the player had run out of audio before it (a stall), the
   * time it waited was not heard: the clock goes on from where the audio ran out.
   */
  fed(seconds: number): void {
    const waited = this.elapsed() - this.#sent;
    if (waited > 0 && this.#holds.size === 0) this.#unheardMs += waited * 1000;
    this.#sent += seconds;
  }

  /** A new answer goes on from what the player has heard: what was sent beyond it is sent again. */
  rewindTo(seconds: number): void {
    const waited = this.elapsed() - this.#sent;
    if (waited > 0 && this.#holds.size === 0) this.#unheardMs += waited * 1000;
    this.#sent = Math.min(this.#sent, seconds);
  }

  hold(why: ClockHold): void {
    if (this.#startedAt === undefined || this.#holds.has(why)) return;
    this.#holds.set(why, this.now());
  }

  release(why: ClockHold): void {
    const since = this.#holds.get(why);
    if (since === undefined) return;
    this.#holds.delete(why);
    // The clock stood still from the earliest hold; it moves again once none is left.
    if (this.#holds.size > 0) {
      const earliest = Math.min(...this.#holds.values());
      if (since < earliest) this.#holds.set([...this.#holds.keys()][0] as ClockHold, since);
      return;
    }
    this.#unheardMs += this.now() - since;
  }

  held(why?: ClockHold): boolean {
    return why === undefined ? this.#holds.size > 0 : this.#holds.has(why);
  }

  /** How long `why` has held the clock (ms), or undefined when it does not. */
  heldFor(why: ClockHold): number | undefined {
    const since = this.#holds.get(why);
    return since === undefined ? undefined : this.now() - since;
  }
}
