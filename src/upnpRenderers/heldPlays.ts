/** A second hold asking the same thing within this long is the same attempt (SetAVTransportURI then Play of one title, a retry). */
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
  #last?: {why: string; what: string; action: string; at: number};
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * What was asked, as the journal says it ("'The Moon Fox'", "Play"), or undefined when the same
   * thing was held for the same reason less than a minute ago (a cast's SetAVTransportURI and the
   * Play that follows it are one tap: one line); Next or a seek after it is another thing asked,
   * with its own line. The play gate writes the line.
   */
  asked(action: string, title: string | undefined, why: string): string | undefined {
    const at = this.#now();
    const what = title ? `'${title}'` : ((Object.hasOwn(ASKED, action) ? ASKED[action] : undefined) ?? action);
    const last = this.#last;
    // Play after the URI it plays (a tap is both), or the same thing again: the same attempt.
    const same =
      last?.what === what || (action === "Play" && (last?.action === "SetAVTransportURI" || last?.action === "Play"));
    if (last && last.why === why && same && at - last.at < HELD_AGAIN_MS) return undefined;
    this.#last = {why, what, action, at};
    return what;
  }
}
