import {Days} from "../core/time/days.js";
import type {SessionSpan} from "./dailyTotals.js";

/**
 * Today's listening per player, kept in memory so rules (which ask on every check) and the
 * sensors never touch the disk; it also keeps counting while the disk refuses writes. Holds the
 * closed sessions' part of today; an open session is added by whoever asks, as heard so far (up to
 * the player's last message, where it would end: so the figure never drops when it closes).
 */
export class TodayTally {
  readonly #days: Days;
  #today = {date: "", start: 0, end: 0};
  /** Today's closed listening per player, in ms (the part of each session that fell today). */
  #closed = new Map<string, number>();

  constructor(days: Days) {
    this.#days = days;
  }

  get date(): string {
    return this.#today.date;
  }

  /** Move to the day `now` falls on, starting again from nothing; false when it is still that day. */
  rollOver(now: number): boolean {
    if (now >= this.#today.start && now < this.#today.end) return false;
    const date = this.#days.dateOf(now);
    this.#today = {date, start: this.#days.startOf(date), end: this.#days.startOf(Days.add(date, 1))};
    this.#closed = new Map();
    return true;
  }

  /** Count today's part of a closed session. */
  add(playerId: string, start: number, end: number): void {
    this.addMs(playerId, Math.min(end, this.#today.end) - Math.max(start, this.#today.start));
  }

  /** Count ms already known to be today's (the stored daily total, at start). */
  addMs(playerId: string, ms: number): void {
    if (ms > 0) this.#closed.set(playerId, (this.#closed.get(playerId) ?? 0) + ms);
  }

  /** Whole seconds today, with today's part of `open` (an open session as heard so far). */
  seconds(playerId: string, open?: SessionSpan): number {
    let ms = this.#closed.get(playerId) ?? 0;
    if (open !== undefined)
      ms += Math.max(0, Math.min(open.endedAt, this.#today.end) - Math.max(open.startedAt, this.#today.start));
    return Math.round(ms / 1000);
  }
}
