import type {Logger} from "../core/logger.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {CardTitles} from "./cardTitles.js";
import type {SessionSpan} from "./dailyTotals.js";
import type {HistoryStore} from "./historyStore.js";

/**
 * A player that plays sends a full events snapshot about every 5 s (so does the simulator). 90 s
 * of nothing is 18 of them missed: not a lost packet or a Wi-Fi blip, but a player that is gone
 * (battery out, network down) or a cloud connection that dropped. Its session then ends at its
 * last message, which is what was really heard; shorter would split sessions on hiccups.
 */
export const SILENT_AFTER_MS = 90_000;
/** Open sessions are written this often, so a crash loses at most this much listening. */
export const CHECKPOINT_MS = 60_000;
/** Shorter plays (a card in and straight out, a status flicker) are not listening. */
const MIN_SESSION_MS = 1000;

/** A session being listened to now, as the tracker keeps it in memory. Times are epoch ms. */
export interface LiveSession {
  playerId: string;
  player: string;
  cardId: string;
  cardTitle?: string;
  chapterTitle?: string;
  startedAt: number;
  /** The player's last message while it played: where the session ends if nothing more comes. */
  lastAt: number;
  /** Set when it closes. */
  endedAt?: number;
  /** When it was last written as open. */
  checkpointAt: number;
  /** Its row id once written. */
  id?: number;
  /** Settles after every write of this session asked so far, with its row id (undefined until inserted). */
  saved: Promise<number | undefined>;
}

export interface SessionTrackerOptions {
  store: Pick<HistoryStore, "insert" | "update" | "remove">;
  titles: CardTitles;
  log: Logger;
  /** A session ended and counts: today's tally and the sensor take it. */
  closed(s: LiveSession): void;
  /** An open session was written again: the sensor moves on. */
  checkpointed(playerId: string): void;
  /** How a write went (no error: it was saved), for the service's health. */
  wrote(what: string, err?: unknown): void;
  /** Cards whose play is not listening (the announcer's relay cards): no session, and they end the one before. */
  ignoreCard?(cardId: string): boolean;
  /** A title the card itself knows better than the player (a radio station's song): it wins. */
  liveTitle?(cardId: string): string | undefined;
  /** The title of a cast on the card (its relay card): it names the session, as a card's title would. */
  castTitle?(cardId: string): string | undefined;
}

/**
 * What an open session counts so far: up to the player's last message, which is where it ends if
 * nothing more comes (silent or offline), so a count never goes back when it closes. Nothing while
 * it is shorter than a session worth keeping, as the close would forget it.
 */
export function heardSoFar(s: Pick<LiveSession, "playerId" | "startedAt" | "lastAt">): SessionSpan {
  const endedAt = s.lastAt - s.startedAt < MIN_SESSION_MS ? s.startedAt : s.lastAt;
  return {playerId: s.playerId, startedAt: s.startedAt, endedAt};
}

/**
 * The state machine of sessions, one per player at most, for one run of the service: a player
 * playing a card opens one; the same card playing on (another chapter, "loading" between tracks)
 * continues it; a pause, stop, other card, going offline or silent closes it at the player's last
 * message. It writes each session as it goes (open, checkpoints, close) and keeps the ones a
 * write refused until one succeeds. Times come from the player's messages, never from when an
 * event happened to be handled.
 */
export class SessionTracker {
  readonly #opts: SessionTrackerOptions;
  readonly #open = new Map<string, LiveSession>();
  /** Players closed for silence, at their last message: they open again only on a newer one. */
  readonly #silentSince = new Map<string, number>();
  /** Closed sessions whose last write failed (full disk): written again by every sweep until one works. */
  readonly #unsaved = new Set<LiveSession>();
  /** Closed sessions not yet stored as closed (writing, or refused): the file's days lack them. */
  readonly #closing = new Set<LiveSession>();
  /** Plays too short to count, forgotten: no write brings them back (a title that came late). */
  readonly #forgotten = new WeakSet<LiveSession>();
  #ended = false;

  constructor(opts: SessionTrackerOptions) {
    this.#opts = opts;
  }

  /** The player's open session, if it plays. */
  openOf(playerId: string): LiveSession | undefined {
    return this.#open.get(playerId);
  }

  openSessions(): LiveSession[] {
    return [...this.#open.values()];
  }

  /** The open sessions and the closed ones not yet stored as closed: where memory is newer than the file. */
  unsettled(): LiveSession[] {
    return [...this.#open.values(), ...this.#closing];
  }

  /** What the stored daily totals do not count yet: open sessions as heard so far, and closed ones still unsaved. */
  notYetStored(): SessionSpan[] {
    const spans = [...this.#open.values()].map(heardSoFar);
    for (const s of this.#closing)
      spans.push({playerId: s.playerId, startedAt: s.startedAt, endedAt: s.endedAt ?? s.lastAt});
    return spans;
  }

  /** Every model change: open, continue or close the player's session. */
  observe(p: PlayerState, now: number): void {
    const at = seenAt(p, now);
    const {status, cardId} = p.playback;
    const open = this.#open.get(p.id);
    if (open) {
      // "loading" between tracks of the same card is still the same listening.
      const continues = p.online && (status === "playing" || status === "loading") && cardId === open.cardId;
      if (continues) {
        open.lastAt = Math.max(open.lastAt, at);
        open.player = p.name;
        const title = this.#titleOf(open.cardId, p);
        if (title) open.chapterTitle = title;
        return;
      }
      // Paused, stopped, offline (its last message: presence does not move lastSeen) or another card.
      void this.#close(open, Math.max(open.lastAt, at));
    }
    if (this.#playing(p, now)) this.#openSession(p, at);
  }

  /** A player left the account: its listening ends at its last message. */
  removed(playerId: string): void {
    const open = this.#open.get(playerId);
    if (open) void this.#close(open, open.lastAt);
  }

  /** Retries, silence, checkpoints, and plays that began without an event; `live` is the model now. */
  sweep(now: number, live: PlayerState[]): void {
    for (const s of this.#unsaved) {
      this.#unsaved.delete(s);
      void this.#save(s, false);
    }
    const byId = new Map(live.map((p) => [p.id, p]));
    for (const s of [...this.#open.values()]) {
      // A message that changed nothing but lastSeen raised no event: read it from the model.
      const p = byId.get(s.playerId);
      if (p && p.playback.cardId === s.cardId && p.online) {
        s.lastAt = Math.max(s.lastAt, seenAt(p, s.lastAt));
        // A station's song changes with no message from the player: the sweep takes it.
        s.chapterTitle = this.#titleOf(s.cardId, p) ?? s.chapterTitle;
      }
      if (now - s.lastAt > SILENT_AFTER_MS) {
        this.#silentSince.set(s.playerId, s.lastAt);
        this.#opts.log.info(
          `'${s.player}' has sent nothing for ${Math.round((now - s.lastAt) / 1000)} s while playing: its listening ends at its last message`,
        );
        void this.#close(s, s.lastAt);
      } else if (now - s.checkpointAt >= CHECKPOINT_MS) {
        s.checkpointAt = now;
        void this.#save(s, true);
        this.#opts.checkpointed(s.playerId);
      }
    }
    // Playing again after a silence without any event that changed the model (a radio stream).
    for (const p of live) if (!this.#open.has(p.id) && this.#playing(p, now)) this.#openSession(p, seenAt(p, now));
  }

  /**
   * The service stops observing: each open session ends at its player's last message, and what a
   * full disk refused gets one last try. What still fails stays open in the file, and the next
   * start closes it at its last checkpoint.
   */
  async endAll(): Promise<void> {
    await Promise.all([...this.#open.values()].map((s) => this.#close(s, s.lastAt)));
    await Promise.all([...this.#unsaved].map((s) => this.#save(s, false)));
    this.#ended = true;
    this.#unsaved.clear();
    this.#closing.clear();
  }

  /**
   * Playing a card that is listening now (not an announcement), by a message recent enough to
   * believe and newer than a silence we noticed.
   */
  #playing(p: PlayerState, now: number): boolean {
    if (!p.online || p.playback.status !== "playing" || !p.playback.cardId) return false;
    if (this.#opts.ignoreCard?.(p.playback.cardId)) return false;
    const at = seenAt(p, now);
    return now - at <= SILENT_AFTER_MS && at > (this.#silentSince.get(p.id) ?? Number.NEGATIVE_INFINITY);
  }

  #titleOf(cardId: string, p: PlayerState): string | undefined {
    return this.#opts.liveTitle?.(cardId) || p.playback.chapterTitle;
  }

  #openSession(p: PlayerState, at: number): void {
    const cardId = p.playback.cardId as string;
    // A cast is named by what was cast: the relay card it plays on is no title to a family.
    const cast = this.#opts.castTitle?.(cardId);
    const session: LiveSession = {
      playerId: p.id,
      player: p.name,
      cardId,
      cardTitle: cast ?? this.#opts.titles.known(cardId),
      chapterTitle: this.#titleOf(cardId, p),
      startedAt: at,
      lastAt: at,
      checkpointAt: at,
      saved: Promise.resolve(undefined),
    };
    this.#silentSince.delete(p.id);
    this.#open.set(p.id, session);
    void this.#save(session, true);
    if (session.cardTitle === undefined)
      void this.#opts.titles.lookUp(cardId).then((title) => {
        if (!title) return;
        session.cardTitle = title;
        // Closed before the title came: the stored row gets it now (a forgotten play has none).
        if (this.#open.get(session.playerId) !== session && !this.#ended) void this.#save(session, false);
      });
  }

  #close(s: LiveSession, at: number): Promise<void> {
    if (this.#open.get(s.playerId) === s) this.#open.delete(s.playerId);
    s.endedAt = Math.max(s.startedAt, at);
    s.lastAt = s.endedAt;
    if (s.endedAt - s.startedAt < MIN_SESSION_MS) return this.#forget(s);
    this.#closing.add(s);
    const saved = this.#save(s, false);
    this.#opts.closed(s);
    // One line per session: what the Logs view's player filter shows a family.
    this.#opts.log.info(
      `${s.player} listened to ${s.cardTitle ? `'${s.cardTitle}'` : `card ${s.cardId}`} for ${spoken(s.endedAt - s.startedAt)}`,
    );
    return saved;
  }

  /**
   * Insert or update the row, after any earlier write of the same session: an insert that failed
   * (full disk) is tried again by the next checkpoint or the close, with everything known by then.
   */
  #save(s: LiveSession, open: boolean): Promise<void> {
    if (this.#forgotten.has(s)) return s.saved.then(() => undefined);
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
    const {store} = this.#opts;
    s.saved = s.saved.then(async (id) => {
      try {
        if (id === undefined) {
          id = await store.insert(row);
          s.id = id;
        } else await store.update(id, row);
        this.#opts.wrote(what);
        this.#unsaved.delete(s);
        if (!open) this.#closing.delete(s);
      } catch (err) {
        this.#opts.wrote(what, err);
        if (!open) this.#unsaved.add(s);
      }
      return id;
    });
    return s.saved.then(() => undefined);
  }

  /** A play too short to count: never shown, and its row (if written) goes. */
  #forget(s: LiveSession): Promise<void> {
    this.#forgotten.add(s);
    s.saved = s.saved.then(async (id) => {
      if (id === undefined) return undefined;
      try {
        await this.#opts.store.remove(id);
        this.#opts.wrote(`a short session on '${s.player}'`);
      } catch (err) {
        this.#opts.wrote(`a short session on '${s.player}'`, err);
      }
      return undefined;
    });
    return s.saved.then(() => undefined);
  }
}

/** When the player last said anything, in ms; `fallback` when it never did. */
function seenAt(p: PlayerState, fallback: number): number {
  const at = p.lastSeen ? Date.parse(p.lastSeen) : Number.NaN;
  return Number.isNaN(at) ? fallback : at;
}

/** 75_000 → "1 min 15 s", 3_600_000 → "60 min": how long, as a log line reads it. */
function spoken(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ""}`;
}
