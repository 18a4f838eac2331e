import type {EventBus} from "../core/events.js";
import type {Logger, LogRecord} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {type LogFilter, LogRing} from "./logRing.js";
import type {LogsPage} from "./types.js";

/** About a day of an ordinary installation's info lines, a few minutes of debug; some 500 KB. */
export const LOG_LINES_KEPT = 2000;

export interface LogsOptions {
  /** The app's root logger: every child logger's lines reach its tap. */
  log: Logger;
  bus: EventBus;
  capacity?: number;
}

/**
 * The recent log lines in memory, for the panel's Logs view and its download, each also announced
 * as `log.written`. Lines come already redacted of registered secrets and with control characters
 * escaped (the logger does both before any tap sees them).
 */
export class Logs implements Service {
  readonly name = "logs";
  readonly #opts: LogsOptions;
  readonly #ring: LogRing;
  #untap?: () => void;
  /** True while `log.written` is being delivered. */
  #announcing = false;

  constructor(opts: LogsOptions) {
    this.#opts = opts;
    this.#ring = new LogRing(opts.capacity ?? LOG_LINES_KEPT);
  }

  async start(): Promise<void> {
    this.#untap ??= this.#opts.log.tap((record) => this.#add(record));
  }

  async stop(): Promise<void> {
    this.#untap?.();
    this.#untap = undefined;
  }

  health() {
    return {details: {lines: this.#ring.size, capacity: this.#ring.capacity}};
  }

  page(filter: LogFilter = {}): LogsPage {
    return {entries: this.#ring.query(filter), capacity: this.#ring.capacity, level: this.#opts.log.level};
  }

  #add(record: LogRecord): void {
    const entry = this.#ring.push(record);
    // A listener of `log.written` that writes a line (or fails, and the bus reports it) would
    // announce that line from inside its own delivery, and so on without end: such lines are
    // kept, and shown on the next fetch, but not announced.
    if (this.#announcing) return;
    this.#announcing = true;
    try {
      this.#opts.bus.emit("log.written", entry);
    } finally {
      this.#announcing = false;
    }
  }
}
