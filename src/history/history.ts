import path from "node:path";
import {AppError, errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {Days} from "../core/time/days.js";
import {processTimeZone} from "../core/time/zoned.js";
import type {PlayerReads} from "../gate/gatedPlayers.js";
import {DEFAULT_BUSY_TIMEOUT_MS} from "../store/store.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {CardTitles} from "./cardTitles.js";
import {HISTORY_FILE, HistoryStore} from "./historyStore.js";
import {sessionsPage, summarise} from "./queries.js";
import {heardSoFar, SessionTracker} from "./sessionTracker.js";
import {TodayTally} from "./todayTally.js";
import type {HistorySessions, HistorySummary} from "./types.js";

const SWEEP_MS = 15_000;

export interface HistoryOptions {
  dataDir: string;
  players: Pick<PlayerReads, "list" | "get" | "familyCards" | "cardSummary">;
  bus: EventBus;
  log: Logger;
  /** Sessions that ended more than this many days ago are deleted (`history_days`). */
  retentionDays: number;
  /** Day boundaries; the rules' zone (`TZ`, else the system's) when unset. */
  timeZone?: string;
  /** How long a write waits for a lock another program holds. */
  busyTimeoutMs?: number;
  /** How often open sessions are looked at (silence, checkpoints, midnight); tests shorten it. */
  sweepMs?: number;
  /**
   * Cards whose play is not listening: the announcer's relay cards, whose few seconds would
   * otherwise count towards "Listening today" and the parents' budget. Asked on each play, so it
   * may name cards made after the service (the announcer's).
   */
  ignoreCard?(cardId: string): boolean;
  /**
   * What a card plays now when the player cannot say: a radio station's current song, which the
   * player (streaming one endless track) never knows. Asked on each model change and sweep.
   */
  liveTitle?(cardId: string): string | undefined;
  /**
   * The title of a cast playing on the card (a renderer's, on its player's relay card): the session
   * is named by what was cast, not by the relay card ("Announcements · …").
   */
  castTitle?(cardId: string): string | undefined;
}

/**
 * What each player played, when and for how long (docs/players.md, "Listening history"). This is the service around the
 * sessions: it feeds the player model's events to the SessionTracker, keeps today's TodayTally for
 * rules and sensors, answers the API from the HistoryStore, prunes past `history_days` at start
 * and each midnight, and reports writes the disk refuses in its health.
 */
export class History implements Service {
  readonly name = "history";
  readonly days: Days;
  readonly #opts: HistoryOptions;
  readonly #store: HistoryStore;
  readonly #titles: CardTitles;
  #today: TodayTally;
  /** Names of every player seen, live or only in the history. */
  readonly #names = new Map<string, string>();
  /** One per run: made at start, ended at stop. */
  #tracker?: SessionTracker;
  #problem?: {reason: string; since: string};
  #sweep?: NodeJS.Timeout;

  constructor(opts: HistoryOptions) {
    this.#opts = opts;
    this.days = new Days(opts.timeZone ?? processTimeZone());
    this.#store = new HistoryStore({
      file: path.join(opts.dataDir, HISTORY_FILE),
      dataDir: opts.dataDir,
      log: opts.log,
      busyTimeoutMs: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      timeZone: this.days.timeZone,
    });
    this.#titles = new CardTitles(opts.players);
    this.#today = new TodayTally(this.days);
  }

  async start(): Promise<void> {
    await this.#store.open();
    const tracker = new SessionTracker({
      store: this.#store,
      titles: this.#titles,
      log: this.#opts.log,
      closed: (s) => {
        this.#today.add(s.playerId, s.startedAt, s.endedAt ?? s.lastAt);
        this.#announce(s.playerId);
      },
      checkpointed: (playerId) => this.#announce(playerId),
      wrote: (what, err) => (err === undefined ? this.#writeSucceeded() : this.#writeFailed(err, what)),
      ignoreCard: (cardId) => this.#opts.ignoreCard?.(cardId) ?? false,
      liveTitle: (cardId) => this.#opts.liveTitle?.(cardId),
      castTitle: (cardId) => this.#opts.castTitle?.(cardId),
    });
    this.#tracker = tracker;
    const closed = await this.#store.closeLeftOpen();
    if (closed > 0)
      this.#opts.log.info(
        `Closed ${closed} listening session(s) left open by an unclean stop, at their last checkpoint`,
      );
    for (const {id, name} of await this.#store.players()) this.#names.set(id, name);
    // Afresh from the file: a second start of this instance must not add today's listening again.
    this.#today = new TodayTally(this.days);
    this.#today.rollOver(Date.now());
    for (const row of await this.#store.daily(this.#today.date, this.#today.date))
      this.#today.addMs(row.playerId, row.ms);
    await this.#prune();
    const {bus} = this.#opts;
    const observe = (player: PlayerState) => {
      this.#names.set(player.id, player.name);
      const now = Date.now();
      this.#rollOver(now);
      tracker.observe(player, now);
    };
    bus.on(this, "player.added", ({player}) => observe(player));
    bus.on(this, "player.changed", ({player}) => observe(player));
    bus.on(this, "player.removed", ({id}) => tracker.removed(id));
    for (const player of this.#opts.players.list()) observe(player);
    this.#sweep = setInterval(() => this.#sweepNow(), this.#opts.sweepMs ?? SWEEP_MS);
    this.#sweep.unref();
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    await this.#tracker?.endAll();
    this.#tracker = undefined;
    this.#problem = undefined;
    await this.#store.close();
  }

  health() {
    const details = {
      file: this.#store.file,
      timeZone: this.days.timeZone,
      retentionDays: this.#opts.retentionDays,
      playing: this.#tracker?.openSessions().length ?? 0,
      ...(this.#problem ? {failingSince: this.#problem.since} : {}),
    };
    return this.#problem
      ? {degraded: true, error: `Listening history is not being saved: ${this.#problem.reason}`, details}
      : {details};
  }

  /** Seconds `idOrName` listened today, an open session up to its last message. Cheap: memory only. */
  todaySeconds(idOrName: string): number {
    return this.#todaySecondsOf(this.#resolve(idOrName), Date.now());
  }

  /** Per day and per player for the last `days` days (today included). */
  async summary(days: number, player?: string): Promise<HistorySummary> {
    const tracker = this.#running();
    const now = Date.now();
    this.#rollOver(now);
    const playerId = player === undefined ? undefined : this.#resolve(player);
    return summarise({
      store: this.#store,
      days: this.days,
      today: this.#today.date,
      count: days,
      playerId,
      notYetStored: () => tracker.notYetStored(),
      names: this.#playerNames(),
      liveIds: new Set(this.#opts.players.list().map((p) => p.id)),
      todaySeconds: (id) => this.#todaySecondsOf(id, now),
      retentionDays: this.#opts.retentionDays,
    });
  }

  /** Sessions overlapping `from`…`to` (dates, inclusive), newest first. */
  async sessions(q: {player?: string; from?: string; to?: string; limit: number}): Promise<HistorySessions> {
    const tracker = this.#running();
    const playerId = q.player === undefined ? undefined : this.#resolve(q.player);
    const from = q.from === undefined ? undefined : this.days.startOf(q.from);
    const to = q.to === undefined ? undefined : this.days.startOf(Days.add(q.to, 1));
    return sessionsPage(this.#store, {from, to, playerId, limit: q.limit}, tracker.unsettled());
  }

  /** Known player ids with their names: live players first, then those only in the history. */
  #playerNames(): Map<string, string> {
    const names = new Map<string, string>();
    for (const p of this.#opts.players.list()) names.set(p.id, p.name);
    for (const [id, name] of this.#names) if (!names.has(id)) names.set(id, name);
    return names;
  }

  /** A player id from an id or a name (any case); unknown ones get the players' own 404. */
  #resolve(idOrName: string): string {
    if (this.#names.has(idOrName)) return idOrName;
    const lower = idOrName.toLowerCase();
    for (const p of this.#opts.players.list()) if (p.id === idOrName || p.name.toLowerCase() === lower) return p.id;
    for (const [id, name] of this.#names) if (name.toLowerCase() === lower) return id;
    return this.#opts.players.get(idOrName).id;
  }

  #running(): SessionTracker {
    if (!this.#tracker)
      throw new AppError("history_unavailable", "The listening history is not running: see /api/health for why", {
        status: 503,
      });
    return this.#tracker;
  }

  /** Every `sweepMs`: midnight, then the tracker's retries, silences and checkpoints. */
  #sweepNow(): void {
    const now = Date.now();
    this.#rollOver(now);
    this.#tracker?.sweep(now, this.#opts.players.list());
  }

  /** A new day: today's tally starts again (an open session counts from midnight), the sensors say so, then prune. */
  #rollOver(now: number): void {
    if (!this.#today.rollOver(now)) return;
    for (const id of this.#playerNames().keys()) this.#announce(id);
    void this.#prune();
  }

  #todaySecondsOf(playerId: string, now: number): number {
    this.#rollOver(now);
    const open = this.#tracker?.openOf(playerId);
    return this.#today.seconds(playerId, open && heardSoFar(open));
  }

  #announce(playerId: string): void {
    const player = this.#names.get(playerId) ?? playerId;
    this.#opts.bus.emit("history.changed", {
      playerId,
      player,
      todaySeconds: this.#todaySecondsOf(playerId, Date.now()),
    });
  }

  /** Keep today and the `retentionDays - 1` days before it. */
  async #prune(): Promise<void> {
    const keepFrom = this.days.startOf(Days.add(this.#today.date, 1 - this.#opts.retentionDays));
    try {
      const removed = await this.#store.prune(keepFrom);
      this.#writeSucceeded();
      if (removed > 0)
        this.#opts.log.info(`Deleted ${removed} listening session(s) older than ${this.#opts.retentionDays} days`);
    } catch (err) {
      this.#writeFailed(err, "the pruning of old sessions");
    }
  }

  #writeFailed(err: unknown, what: string): void {
    const reason = errorMessage(err);
    const known = this.#problem?.reason === reason;
    this.#problem = {reason, since: known && this.#problem ? this.#problem.since : new Date().toISOString()};
    // The first failure of a kind is an error; the same one every minute after is not news.
    if (known) this.#opts.log.debug(() => `Could not save ${what} (${reason})`);
    else this.#opts.log.error(`Could not save ${what} to the listening history: ${reason}`);
  }

  #writeSucceeded(): void {
    if (!this.#problem) return;
    this.#opts.log.info(`The listening history takes writes again (failing since ${this.#problem.since})`);
    this.#problem = undefined;
  }
}
