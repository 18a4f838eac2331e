import type {ReactiveController, ReactiveControllerHost} from "lit";

/** How long a "done" line stays: long enough to read, short enough not to stand as if still news. */
export const NOTICE_MS = 8000;

/**
 * A line saying what the last action did ("Quiet hours ended", "Started 'Bedtime'"), which clears
 * itself after `NOTICE_MS`: left standing, it reads as the player's state long after it stopped
 * being true. A line still waiting for its answer ("Sending…") stays until it is replaced.
 */
export class FadingNotice implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #ms: number;
  #text?: string;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(host: ReactiveControllerHost, ms = NOTICE_MS) {
    this.#host = host;
    this.#ms = ms;
    host.addController(this);
  }

  get text(): string | undefined {
    return this.#text;
  }

  /** Show `text` (undefined: nothing); `fades` false keeps it until the next call. */
  show(text: string | undefined, fades = true): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#text = text;
    if (text !== undefined && fades) this.#timer = setTimeout(() => this.show(undefined), this.#ms);
    this.#host.requestUpdate();
  }

  hostConnected(): void {}

  /** A card taken off the page keeps no timer; shown again, it has nothing stale to show. */
  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#text = undefined;
  }
}
