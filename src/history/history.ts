import path from "node:path";
import {AppError, errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {processTimeZone} from "../rules/time/zoned.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {YotoPlayers} from "../yoto/players.js";
import {CardTitles} from "./cardTitles.js";
import {Days} from "./days.js";
import {HISTORY_FILE, HistoryStore} from "./historyStore.js";
import {type LiveSession, sessionsPage, summarise} from "./queries.js";
import type {HistorySessions, HistorySummary} from "./types.js";

/**
 * A player that plays sends a full events snapshot about every 5 s (so does the simulator). 90 s
 * of nothing is 18 of them missed: not a lost packet or a Wi-Fi blip, but a player that is gone
 * (battery out, network down) or a cloud connection that dropped. Its session then ends at its
 * last message, which is what was really heard; shorter would split sessions on hiccups.
 */
export const SILENT_AFTER_MS = 90_000;
/** Open sessions are written this often, so a crash loses at most this much listening. */
export const CHECKPOINT_MS = 60_000;
const SWEEP_MS = 15_000;
/** Shorter plays (a card in and straight out, a status flicker) are not listening. */
const MIN_SESSION_MS = 1000;

export interface HistoryOptions {
  dataDir: string;
  players: Pick<YotoPlayers, "list" | "get" | "familyCards" | "cardSummary">;
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
}

/**
 * What each player played, when and for how long (SPEC §18), from the player model's events: a
 * session opens when a player plays a card and closes when it pauses, stops, changes card, goes
 * offline or silent, or is removed. Kept in SQLite (see HistoryStore) with a retention limit;
 * today's totals are also kept in memory, so rules read them without touching the disk.
 */
export class History implements Service {
  readonly name = "history";
  readonly days: Days;
  readonly #opts: HistoryOptions;
  readonly #store: HistoryStore;
  readonly #titles: CardTitles;
  readonly #open = new Map<string, LiveSession>();
  /** Names of every player seen, live or only in the history. */
  readonly #names = new Map<string, string>();
  /** Today's closed listening per player, in ms (the part of each session that fell today). */
  #todayClosed = new Map<string, number>();
  #today = {date: "", start: 0, end: 0};
  /** Players closed for silence, at their last message: they open again only on a newer one. */
  readonly #silentSince = new Map<string, number>();
  /** Closed sessions whose last write failed (full disk): written again by every sweep until one works. */
  readonly #unsaved = new Set<LiveSession>();
  #problem?: {reason: string; since: string};
  #sweep?: NodeJS.Timeout;
  #started = false;

  constructor(opts: HistoryOptions) {
    this.#opts = opts;
    this.days = new Days(opts.timeZone ?? processTimeZone());
    this.#store = new HistoryStore({
      file: path.join(opts.dataDir, HISTORY_FILE),
      dataDir: opts.dataDir,
      log: opts.log,
      busyTimeoutMs: opts.busyTimeoutMs ?? 5000,
    });
    this.#titles = new CardTitles(opts.players);
  }

  async start(): Promise<void> {
    await this.#store.open();
    this.#started = true;
    const closed = await this.#store.closeLeftOpen();
    if (closed > 0)
      this.#opts.log.info(
        `Closed ${closed} listening session(s) left open by an unclean stop, at their last checkpoint`,
      );
    for (const {id, name} of await this.#store.players()) this.#names.set(id, name);
    this.#rollOver(Date.now(), false);
    for (const span of await this.#store.spans(this.#today.start, this.#today.end))
      this.#addToday(span.playerId, span.startedAt, span.endedAt);
    await this.#prune();
    const {bus} = this.#opts;
    bus.on(this, "player.added", ({player}) => this.#observe(player));
    bus.on(this, "player.changed", ({player}) => this.#observe(player));
    bus.on(this, "player.removed", ({id}) => {
      const open = this.#open.get(id);
      if (open) void this.#close(open, open.lastAt);
    });
    for (const player of this.#opts.players.list()) this.#observe(player);
    this.#sweep = setInterval(() => this.#sweepNow(), this.#opts.sweepMs ?? SWEEP_MS);
    this.#sweep.unref();
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    // Listening stops being observed here: each open session ends at its player's last message.
    const saving = [...this.#open.values()].map((s) => this.#close(s, s.lastAt));
    await Promise.all(saving);
    // One last try for what a full disk refused; what still fails stays open in the file, and the
    // next start closes it at its last checkpoint.
    await Promise.all([...this.#unsaved].map((s) => this.#save(s, false)));
    this.#unsaved.clear();
    this.#started = false;
    this.#problem = undefined;
    await this.#store.close();
  }

  health() {
    const details = {
      file: this.#store.file,
      timeZone: this.days.timeZone,
      retentionDays: this.#opts.retentionDays,
      playing: this.#open.size,
      ...(this.#problem ? {failingSince: this.#problem.since} : {}),
    };
    return this.#problem
      ? {degraded: true, error: `Listening history is not being saved: ${this.#problem.reason}`, details}
      : {details};
  }

  /** Seconds `idOrName` listened today, an open session counted up to now. Cheap: memory only. */
  todaySeconds(idOrName: string): number {
    return this.#todaySecondsOf(this.#resolve(idOrName), Date.now());
  }

  /** Per day and per player for the last `days` days (today included). */
  async summary(days: number, player?: string): Promise<HistorySummary> {
    this.#needStarted();
    const now = Date.now();
    this.#rollOver(now);
    const playerId = player === undefined ? undefined : this.#resolve(player);
    return summarise({
      store: this.#store,
      days: this.days,
      today: this.#today.date,
      count: days,
      playerId,
      live: [...this.#open.values()],
      now,
      names: this.#playerNames(),
      liveIds: new Set(this.#opts.players.list().map((p) => p.id)),
      todaySeconds: (id) => this.#todaySecondsOf(id, now),
      retentionDays: this.#opts.retentionDays,
    });
  }

  /** Sessions overlapping `from`…`to` (dates, inclusive), newest first. */
  async sessions(q: {player?: string; from?: string; to?: string; limit: number}): Promise<HistorySessions> {
    this.#needStarted();
    const playerId = q.player === undefined ? undefined : this.#resolve(q.player);
    const from = q.from === undefined ? undefined : this.days.startOf(q.from);
    const to = q.to === undefined ? undefined : this.days.startOf(Days.add(q.to, 1));
    return sessionsPage(this.#store, {from, to, playerId, limit: q.limit}, [...this.#open.values()]);
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

  #needStarted(): void {
    if (!this.#started)
      throw new AppError("history_unavailable", "The listening history is not running: see /api/health for why", {
        status: 503,
      });
  }

  /** Every model change: open, continue or close the player's session. */
  #observe(p: PlayerState): void {
    this.#names.set(p.id, p.name);
    const now = Date.now();
    this.#rollOver(now);
    const at = seenAt(p, now);
    const {status, cardId} = p.playback;
    const open = this.#open.get(p.id);
    if (open) {
      // "loading" between tracks of the same card is still the same listening.
      const continues = p.online && (status === "playing" || status === "loading") && cardId === open.cardId;
      if (continues) {
        open.lastAt = Math.max(open.lastAt, at);
        open.player = p.name;
        if (p.playback.chapterTitle) open.chapterTitle = p.playback.chapterTitle;
        return;
      }
      // Paused, stopped, offline (its last message: presence does not move lastSeen) or another card.
      void this.#close(open, Math.max(open.lastAt, at));
    }
    if (this.#playing(p, now)) this.#openSession(p, at);
  }

  /** Playing a card now, by a message recent enough to believe and newer than a silence we noticed. */
  #playing(p: PlayerState, now: number): boolean {
    if (!p.online || p.playback.status !== "playing" || !p.playback.cardId) return false;
    const at = seenAt(p, now);
    return now - at <= SILENT_AFTER_MS && at > (this.#silentSince.get(p.id) ?? Number.NEGATIVE_INFINITY);
  }

  #openSession(p: PlayerState, at: number): void {
    const cardId = p.playback.cardId as string;
    const session: LiveSession = {
      playerId: p.id,
      player: p.name,
      cardId,
      cardTitle: this.#titles.known(cardId),
      chapterTitle: p.playback.chapterTitle,
      startedAt: at,
      lastAt: at,
      checkpointAt: at,
      saved: Promise.resolve(undefined),
    };
    this.#silentSince.delete(p.id);
    this.#open.set(p.id, session);
    void this.#save(session, true);
    if (session.cardTitle === undefined)
      void this.#titles.lookUp(cardId).then((title) => {
        if (!title) return;
        session.cardTitle = title;
        // Closed before the title came: the stored row gets it now.
        if (this.#open.get(session.playerId) !== session && this.#started) void this.#save(session, false);
      });
  }

  #close(s: LiveSession, at: number): Promise<void> {
    if (this.#open.get(s.playerId) === s) this.#open.delete(s.playerId);
    s.endedAt = Math.max(s.startedAt, at);
    s.lastAt = s.endedAt;
    if (s.endedAt - s.startedAt < MIN_SESSION_MS) return this.#forget(s);
    this.#addToday(s.playerId, s.startedAt, s.endedAt);
    const saved = this.#save(s, false);
    this.#announce(s.playerId);
    return saved;
  }

  /**
   * Insert or update the row, after any earlier write of the same session: an insert that failed
   * (full disk) is tried again by the next checkpoint or the close, with everything known by then.
   */
  #save(s: LiveSession, open: boolean): Promise<void> {
    const row = {
      playerId: s.playerId,
      player: s.player,
      cardId: s.cardId,
      cardTitle: s.cardTitle ?? null,
      chapterTitle: s.chapterTitle ?? null,
      startedAt: s.startedAt,
      endedAt: open ? s.lastAt : (s.endedAt ?? s.lastAt),
      open,
    };
    const what = `${open ? "the open" : "a"} session on '${s.player}'`;
    s.saved = s.saved.then(async (id) => {
      try {
        if (id === undefined) {
          id = await this.#store.insert(row);
          s.id = id;
        } else await this.#store.update(id, row);
        this.#writeSucceeded();
        this.#unsaved.delete(s);
      } catch (err) {
        this.#writeFailed(err, what);
        if (!open) this.#unsaved.add(s);
      }
      return id;
    });
    return s.saved.then(() => undefined);
  }

  /** A play too short to count: never shown, and its row (if written) goes. */
  #forget(s: LiveSession): Promise<void> {
    s.saved = s.saved.then(async (id) => {
      if (id === undefined) return undefined;
      try {
        await this.#store.remove(id);
        this.#writeSucceeded();
      } catch (err) {
        this.#writeFailed(err, `a short session on '${s.player}'`);
      }
      return undefined;
    });
    return s.saved.then(() => undefined);
  }

  /** Silence, checkpoints, the once-a-minute update and midnight; every `sweepMs`. */
  #sweepNow(): void {
    const now = Date.now();
    this.#rollOver(now);
    for (const s of this.#unsaved) {
      this.#unsaved.delete(s);
      void this.#save(s, false);
    }
    const live = new Map(this.#opts.players.list().map((p) => [p.id, p]));
    for (const s of [...this.#open.values()]) {
      // A message that changed nothing but lastSeen raised no event: read it from the model.
      const p = live.get(s.playerId);
      if (p && p.playback.cardId === s.cardId && p.online) s.lastAt = Math.max(s.lastAt, seenAt(p, s.lastAt));
      if (now - s.lastAt > SILENT_AFTER_MS) {
        this.#silentSince.set(s.playerId, s.lastAt);
        this.#opts.log.info(
          `'${s.player}' has sent nothing for ${Math.round((now - s.lastAt) / 1000)} s while playing: its listening ends at its last message`,
        );
        void this.#close(s, s.lastAt);
      } else if (now - s.checkpointAt >= CHECKPOINT_MS) {
        s.checkpointAt = now;
        void this.#save(s, true);
        this.#announce(s.playerId);
      }
    }
    // Playing again after a silence without any event that changed the model (a radio stream).
    for (const p of live.values())
      if (!this.#open.has(p.id) && this.#playing(p, now)) this.#openSession(p, seenAt(p, now));
  }

  /** A new day: today's totals start again (an open session counts from midnight), then prune. */
  #rollOver(now: number, announce = true): void {
    if (now >= this.#today.start && now < this.#today.end) return;
    const date = this.days.dateOf(now);
    this.#today = {date, start: this.days.startOf(date), end: this.days.startOf(Days.add(date, 1))};
    this.#todayClosed = new Map();
    if (!announce) return;
    for (const id of this.#playerNames().keys()) this.#announce(id);
    void this.#prune();
  }

  #addToday(playerId: string, start: number, end: number): void {
    const part = Math.min(end, this.#today.end) - Math.max(start, this.#today.start);
    if (part > 0) this.#todayClosed.set(playerId, (this.#todayClosed.get(playerId) ?? 0) + part);
  }

  #todaySecondsOf(playerId: string, now: number): number {
    this.#rollOver(now);
    let ms = this.#todayClosed.get(playerId) ?? 0;
    const open = this.#open.get(playerId);
    if (open) ms += Math.max(0, Math.min(now, this.#today.end) - Math.max(open.startedAt, this.#today.start));
    return Math.round(ms / 1000);
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

/** When the player last said anything, in ms; `fallback` when it never did. */
function seenAt(p: PlayerState, fallback: number): number {
  const at = p.lastSeen ? Date.parse(p.lastSeen) : Number.NaN;
  return Number.isNaN(at) ? fallback : at;
}
