import {LOG_LEVELS, type LogLevel, type LogRecord} from "../core/logger.js";
import type {LogEntry} from "./types.js";

/** Which lines a reader wants; every field narrows. */
export interface LogFilter {
  /** This level and above. */
  level?: LogLevel;
  /** Case-insensitive plain text in the message or the namespace. */
  text?: string;
  /** Lines that mention this player by name or id (case-insensitive). */
  player?: {id: string; name: string};
  /** Only lines after this `seq`: pages forward, or catches up after a reconnect. */
  after?: number;
  /** At most this many: the first ones after `after`, else the newest ones. */
  limit?: number;
}

const RANK = Object.fromEntries(LOG_LEVELS.map((level, i) => [level, i])) as Record<LogLevel, number>;

/**
 * The newest `capacity` lines, in a fixed array written round and round: adding a line costs the
 * same whether the ring is empty or full, and nothing is ever copied.
 */
export class LogRing {
  readonly capacity: number;
  readonly #slots: Array<LogEntry | undefined>;
  /** The seq the next line gets; seqs start at 1, so `after=0` means "everything". */
  #next = 1;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#slots = new Array(capacity);
  }

  get size(): number {
    return Math.min(this.#next - 1, this.capacity);
  }

  push(record: LogRecord): LogEntry {
    const entry: LogEntry = {seq: this.#next, ...record};
    this.#slots[this.#next % this.capacity] = entry;
    this.#next++;
    return entry;
  }

  /** Matching lines, oldest first. */
  query(filter: LogFilter = {}): LogEntry[] {
    const oldest = this.#next - this.size;
    const from = Math.max(oldest, (filter.after ?? 0) + 1);
    const limit = filter.limit ?? this.capacity;
    const matches = lineMatcher(filter);
    const out: LogEntry[] = [];
    for (let seq = from; seq < this.#next; seq++) {
      const entry = this.#slots[seq % this.capacity] as LogEntry;
      if (!matches(entry)) continue;
      out.push(entry);
      // Paging forward: the first `limit` after the cursor are enough.
      if (filter.after !== undefined && out.length === limit) break;
    }
    return out.length > limit ? out.slice(out.length - limit) : out;
  }
}

function lineMatcher(filter: LogFilter): (entry: LogEntry) => boolean {
  const min = RANK[filter.level ?? "debug"];
  const text = filter.text?.toLowerCase();
  const name = filter.player?.name.toLowerCase();
  const id = filter.player?.id.toLowerCase();
  return (entry) => {
    if (RANK[entry.level] < min) return false;
    if (!text && !filter.player) return true;
    const message = entry.message.toLowerCase();
    if (text && !message.includes(text) && !entry.namespace.toLowerCase().includes(text)) return false;
    if (filter.player && !(message.includes(id as string) || (name !== "" && message.includes(name as string))))
      return false;
    return true;
  };
}
