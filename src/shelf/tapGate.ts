import type {ShelfAnswer} from "../shared/api/shelf.js";

/** After a play, the child's next tap waits this long: a toddler's twenty taps a second are one play. */
export const TAP_COOL_DOWN_MS = 2000;
/** After a control (next, louder), the next one waits this long: two presses are two, twenty are not. */
export const CONTROL_COOL_DOWN_MS = 400;
const MAX_CHILDREN = 200;
/** The answers that did something: a pause too, so a storm of taps on what plays does not pause and play by turns. */
const TAKEN = new Set<ShelfAnswer["outcome"]>(["played", "paused", "pending", "done"]);

/**
 * One play at a time per child, and none again within the cool-down: taps that come meanwhile are
 * answered `busy` at once, never queued behind the one under way.
 */
export class TapGate {
  readonly #busy = new Set<string>();
  readonly #last = new Map<string, number>();

  constructor(
    readonly now: () => number,
    readonly coolDownMs = TAP_COOL_DOWN_MS,
  ) {}

  async once(child: string, work: () => Promise<ShelfAnswer>): Promise<ShelfAnswer> {
    const last = this.#last.get(child);
    if (this.#busy.has(child) || (last !== undefined && this.now() - last < this.coolDownMs))
      return {outcome: "busy", text: "A tap was just taken: wait a moment"};
    this.#busy.add(child);
    try {
      const answer = await work();
      if (TAKEN.has(answer.outcome)) {
        if (this.#last.size >= MAX_CHILDREN) this.#last.clear();
        this.#last.set(child, this.now());
      }
      return answer;
    } finally {
      this.#busy.delete(child);
    }
  }
}
