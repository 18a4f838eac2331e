/**
 * A stream an announcement may play over and then put back where it was (a renderer's cast): the
 * announcer holds it while it speaks, plays it on the relay card again after, and the stream goes
 * on from what the player had heard as the player asks for it again. A card is put back after an
 * announcement; a cast is too (it was ended for good: Music Assistant saw STOPPED and its queue
 * stopped there).
 */
export interface Resumable {
  /** What it plays now, as the family reads it. */
  title(): string;
  /** Ended meanwhile by whoever cast it (a Stop, another URI): nothing to put back, nothing to tell. */
  over(): boolean;
  /**
   * Ended meanwhile only because its control point moved on in the same cast (Next, Previous, a
   * seek), which plays after the announcement: the title it goes on with; undefined otherwise.
   */
  goesOn?(): string | undefined;
  /** Paused by its control point during the announcement (whose speech went on): it comes back paused. */
  paused?(): boolean;
  /** An announcement takes the relay: the stream's clock stands still and its source is held. */
  interrupt(): void;
  /** It is not put back (why, in words): it ends, and whoever cast it is told. */
  abandon(why: string): void;
}

/** What became of a cast an announcement played over. */
export interface CastAfter {
  title: string;
  resumed: boolean;
  /** Why it was not put back. */
  why?: string;
}
