/** A second hold of the same kind within this long is the same attempt (SetAVTransportURI then Play, a retry). */
export const HELD_AGAIN_MS = 60_000;

/** What a control point asked for, in a parent's words. */
const ASKED: Readonly<Record<string, string>> = {
  SetAVTransportURI: "Something to play",
  Play: "Play",
  Next: "Next",
  Previous: "Previous",
  Seek: "A jump in the card",
};

/**
 * The family journal's line for a play the parents' rules held on a renderer: plain words, once per
 * attempt. A control point sends SetAVTransportURI and then Play for one tap, and Home Assistant and
 * Music Assistant may press together: the journal had a line each, in UPnP's words. The log keeps
 * every refusal with the action's name.
 */
export class HeldPlays {
  #last?: {why: string; at: number};
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * What was asked, as the journal says it ("'The Moon Fox'", "Play"), or undefined when this hold
   * was written less than a minute ago. The play gate writes the line.
   */
  asked(action: string, title: string | undefined, why: string): string | undefined {
    const at = this.#now();
    if (this.#last && this.#last.why === why && at - this.#last.at < HELD_AGAIN_MS) return undefined;
    this.#last = {why, at};
    return title ? `'${title}'` : ((Object.hasOwn(ASKED, action) ? ASKED[action] : undefined) ?? action);
  }
}
