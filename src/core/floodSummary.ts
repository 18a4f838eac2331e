import type {Logger} from "./logger.js";

export interface FloodSummaryOptions {
  /** Warnings of one kind written in full per window. */
  first?: number;
  /** How long a window lasts from its first warning. */
  windowMs?: number;
}

/** Kinds are named by the code, not the input; past this many, the rest share one count. */
const MAX_KINDS = 32;
const OTHER = "other warnings";

interface Window {
  written: number;
  more: number;
  timer: NodeJS.Timeout;
}

/**
 * Warnings that someone else can cause at will (a refused MQTT message, a media player command
 * that makes no sense): one line each would let a flood of bad messages fill the log, and the
 * panel's last lines, with copies. Per kind, the first few of a minute are written in full and
 * the rest counted, then said once: "… and 312 more like it in the last minute". A count per kind,
 * so memory stays the same however long the flood.
 */
export class FloodSummary {
  readonly #log: Pick<Logger, "warning">;
  readonly #first: number;
  readonly #windowMs: number;
  readonly #windows = new Map<string, Window>();

  constructor(log: Pick<Logger, "warning">, opts: FloodSummaryOptions = {}) {
    this.#log = log;
    this.#first = opts.first ?? 5;
    this.#windowMs = opts.windowMs ?? 60_000;
  }

  /** `message` as a warning, or counted when `kind` has had its first few this window. */
  warning(kind: string, message: string): void {
    const key = this.#windows.has(kind) || this.#windows.size < MAX_KINDS ? kind : OTHER;
    let window = this.#windows.get(key);
    if (!window) {
      window = {written: 0, more: 0, timer: setTimeout(() => this.#close(key), this.#windowMs)};
      window.timer.unref();
      this.#windows.set(key, window);
    }
    if (window.written < this.#first) {
      window.written++;
      this.#log.warning(message);
    } else window.more++;
  }

  /** Say what is still counted, and stop the timers (the owner is stopping). */
  stop(): void {
    for (const key of [...this.#windows.keys()]) this.#close(key);
  }

  #close(key: string): void {
    const window = this.#windows.get(key);
    if (!window) return;
    clearTimeout(window.timer);
    this.#windows.delete(key);
    if (window.more > 0) this.#log.warning(`… and ${window.more} more like it in the last ${this.#span()} (${key})`);
  }

  #span(): string {
    if (this.#windowMs === 60_000) return "minute";
    return this.#windowMs % 60_000 === 0 ? `${this.#windowMs / 60_000} minutes` : `${this.#windowMs / 1000} s`;
  }
}
