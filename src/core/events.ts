import {EventEmitter} from "node:events";
import type {HistoryChanged} from "../history/types.js";
import type {LogEntry} from "../logs/types.js";
import type {QuietChanged} from "../parents/types.js";
import type {AccountStatus} from "../yoto/account.js";
import type {CloudConnectionState} from "../yoto/cloudMqtt.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {errorMessage} from "./errors.js";
import type {Logger} from "./logger.js";

/**
 * Every in-process event, name → payload. Names are scoped and past tense. Features add their
 * events here so emitters and listeners are checked against one map.
 */
export interface EventMap {
  "service.stateChanged": {service: string; state: ServiceState; error?: string};
  "library.changed": {added: number; removed: number; updated: number};
  "library.uploaded": {id: string; title: string};
  "stream.changed": {name: string; version: number; reason: string; items: number};
  "stream.deleted": {name: string};
  "stream.requested": StreamRequest;
  /** A signed link asked for a stream that no longer exists (answered 404): a card left behind. */
  "stream.missing": {at: string; stream: string; client: string};
  "account.changed": AccountStatus;
  "cloud.stateChanged": {state: CloudConnectionState};
  "player.added": {player: PlayerState};
  /** `changed` lists the top-level fields of `PlayerState` that differ from `previous`. */
  "player.changed": {player: PlayerState; previous: PlayerState; changed: string[]};
  "player.removed": {id: string; name: string};
  /**
   * A press inferred from a story card's chapter change (or a track running out: `end`): `scene` is
   * where it was pressed, `to` where it led.
   */
  "player.button": {
    playerId: string;
    player: string;
    button: "left" | "right" | "end";
    cardId?: string;
    story?: string;
    scene?: string;
    to?: string;
  };
  /** A player starts a story (no `from`) or moves to another scene of it. */
  "story.sceneEntered": {
    playerId: string;
    player: string;
    story: string;
    scene: string;
    cardId?: string;
    from?: string;
    button?: "left" | "right" | "end";
  };
  /** A feed stream is downloading its new episodes: `done` of `total`, `title` the one under way. */
  "feed.progress": {stream: string; done: number; total: number; title: string};
  /** A stream began or stopped following a feed. */
  "feed.followed": {stream: string; following: boolean};
  /** A feed stream was refreshed (`changed` false: the feed was unchanged) or failed (`error`). */
  "feed.refreshed": {
    stream: string;
    ok: boolean;
    changed: boolean;
    episodes: number;
    error?: string;
    /** Unchanged, but the refresh before had failed: that failure is over. */
    recovered?: boolean;
  };
  /** Listening history: a session closed, or once a minute while a player plays. */
  "history.changed": HistoryChanged;
  /** A log line was written (kept for the panel's Logs view). */
  "log.written": LogEntry;
  /** A player's quiet hours started, moved, ended or wait to be undone (`until` absent: over). */
  "quiet.changed": QuietChanged;
  "rules.changed": {loaded: number; failed: number};
  /** A rule run started (`result: "running"`) or ended. */
  "rules.traced": {rule: string; run: number; result: string};
}

/** One request for a stream's MP3, as recorded and as rules see it (`stream_requested`). */
export interface StreamRequest {
  at: string;
  stream: string;
  client: string;
  userAgent?: string;
  method: string;
  range?: string;
  status: number;
  version: number;
  mode: string;
  /** Library item ids in the order served (one cycle for looping modes). */
  items: string[];
  /** Bytes in the response; undefined for a looping stream, which has no end. */
  bytes?: number;
  /**
   * Range requests by the same client for the same version that followed this one (a player
   * seeking, or fetching in pieces): folded in here, with their bytes, instead of an event each.
   */
  followingRanges?: number;
  /** When the last of those came. */
  lastAt?: string;
}

export type ServiceState = "stopped" | "starting" | "running" | "failed" | "stopping";
export type EventName = keyof EventMap;
type Listener<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

/**
 * Typed pub/sub with owner-keyed subscriptions: `off(owner)` removes everything an owner added, so
 * a service's stop() is one line. A throwing listener is logged and never reaches the emitter.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();
  readonly #byOwner = new Map<object, Array<{event: string; fn: (payload: unknown) => void}>>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
    // Many services listen to the same events; the default cap of 10 would warn spuriously.
    this.#emitter.setMaxListeners(0);
  }

  on<K extends EventName>(owner: object, event: K, listener: Listener<K>): void {
    const ownerName = owner.constructor?.name ?? "anonymous";
    const fn = (payload: unknown) => {
      try {
        const result = listener(payload as EventMap[K]);
        if (result instanceof Promise) result.catch((err) => this.#report(ownerName, event, err));
      } catch (err) {
        this.#report(ownerName, event, err);
      }
    };
    this.#emitter.on(event, fn);
    const list = this.#byOwner.get(owner) ?? [];
    list.push({event, fn});
    this.#byOwner.set(owner, list);
  }

  off(owner: object): void {
    for (const {event, fn} of this.#byOwner.get(owner) ?? []) this.#emitter.off(event, fn);
    this.#byOwner.delete(owner);
  }

  emit<K extends EventName>(event: K, payload: EventMap[K]): void {
    this.#emitter.emit(event, payload);
  }

  listenerCount(event: EventName): number {
    return this.#emitter.listenerCount(event);
  }

  #report(owner: string, event: string, err: unknown): void {
    const write = () => {
      this.#log.error(`Event listener '${owner}/${event}' failed (${errorMessage(err)})`);
      if (err instanceof Error && err.stack) this.#log.debug(err.stack);
    };
    // Each log line is a `log.written`: a listener failing on it would report a line that fails it again.
    if (event === "log.written") this.#log.untapped(write);
    else write();
  }
}
