import type {FetchPolicy} from "../core/fetchPolicy.js";

/** Origins kept trusted at once: a home's few control points, not whatever one host can invent. */
export const MAX_CAST_ORIGINS = 16;

/**
 * The origins control points cast audio from on their own address (Music Assistant on the Home
 * Assistant host, a phone app): the fetch policy trusts the most recent few, so the relay card can
 * fetch what was cast. A fixed number of places, so a host that casts from port after port (or
 * address after address) cannot grow the service's trust, or its memory, without end.
 */
export class CastOrigins {
  readonly #recent: Array<string | undefined> = [];

  constructor(
    policy: FetchPolicy,
    readonly max = MAX_CAST_ORIGINS,
  ) {
    for (let i = 0; i < max; i++) policy.trust(() => this.#recent[i]);
  }

  /** Trust `origin` now, as the most recent; the oldest past `max` is trusted no more. */
  add(origin: string): void {
    const at = this.#recent.indexOf(origin);
    if (at !== -1) this.#recent.splice(at, 1);
    this.#recent.push(origin);
    if (this.#recent.length > this.max) this.#recent.shift();
  }
}
