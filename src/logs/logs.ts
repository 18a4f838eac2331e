import type {EventBus} from "../core/events.js";
import type {Logger, LogRecord} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {type LogFilter, LogRing} from "./logRing.js";
import type {LogsPage} from "./types.js";

/** About a day of an ordinary installation's info lines, a few minutes of debug; some 500 KB. */
export const LOG_LINES_KEPT = 2000;

/** Ids remembered per kind: far more than a family has, and a bound if something churns them. */
const IDS_REMEMBERED = 500;

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
  /**
   * Every player and card id met since the start, oldest first. The lines outlive what the service
   * knows now (a card played an hour ago, a relay card, a player taken off the account), and the
   * download must still recognise their ids.
   */
  readonly #met = {players: new Set<string>(), cards: new Set<string>()};

  constructor(opts: LogsOptions) {
    this.#opts = opts;
    this.#ring = new LogRing(opts.capacity ?? LOG_LINES_KEPT);
  }

  async start(): Promise<void> {
    this.#untap ??= this.#opts.log.tap((record) => this.#add(record));
    const {bus} = this.#opts;
    bus.on(this, "player.added", ({player}) => this.#meet(player));
    bus.on(this, "player.changed", ({player}) => this.#meet(player));
  }

  async stop(): Promise<void> {
    this.#untap?.();
    this.#untap = undefined;
    this.#opts.bus.off(this);
  }

  /** The ids met since the start, for the download's redaction (ids known now come first there). */
  metIds(): {playerIds: string[]; cardIds: string[]} {
    return {playerIds: [...this.#met.players], cardIds: [...this.#met.cards]};
  }

  health() {
    return {details: {lines: this.#ring.size, capacity: this.#ring.capacity}};
  }

  page(filter: LogFilter = {}): LogsPage {
    return {entries: this.#ring.query(filter), capacity: this.#ring.capacity, level: this.#opts.log.level};
  }

  #meet(player: PlayerState): void {
    remember(this.#met.players, player.id);
    if (player.playback.cardId) remember(this.#met.cards, player.playback.cardId);
    if (player.playback.lastCardId) remember(this.#met.cards, player.playback.lastCardId);
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

function remember(ids: Set<string>, id: string): void {
  if (ids.has(id)) return;
  if (ids.size >= IDS_REMEMBERED) ids.delete(ids.values().next().value as string);
  ids.add(id);
}
