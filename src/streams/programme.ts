/**
 * What an endless stream plays next, item by item, decided by the stream's owner as it plays (a
 * child's story radio: nothing past bedtime, short items after the wind-down). `startsAt` is when
 * the listener will hear the item start (epoch ms), `seconds` how long it plays.
 */
export type NextItem = (itemId: string, seconds: number, startsAt: number) => "play" | "skip" | "end";

/** An owner of some endless streams that decides their programme as they play. */
export interface Programme {
  owns(stream: string): boolean;
  /** The decider for one listener, from the start of its request. */
  begin(stream: string): NextItem;
}

/** The programmes streams ask when an endless stream is played: the first that owns the stream decides. */
export class Programmes {
  readonly #all: Programme[] = [];

  add(programme: Programme): void {
    this.#all.push(programme);
  }

  begin(stream: string): NextItem | undefined {
    return this.#all.find((p) => p.owns(stream))?.begin(stream);
  }
}
