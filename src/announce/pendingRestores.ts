import {errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {AnnounceResumed} from "../shared/api/announce.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {PlayerCommand} from "../yoto/commands.js";
import type {PlayerState} from "../yoto/playerModel.js";

/** What an announcement must put back on a player, saved before it touches the player. */
export interface PendingRestore {
  playerId: string;
  relayCardId: string;
  /** The volume before the announcement raised it (only when it changed the volume). */
  volume?: number;
  /** The card it interrupted, to start again where it was (only when asked to resume). */
  interrupted?: AnnounceResumed;
  startedAt: string;
}

export interface PendingRestoresOptions {
  store: StateStore;
  bus: EventBus;
  log: Logger;
  players: {
    list(): PlayerState[];
    command(idOrName: string, command: PlayerCommand): Promise<unknown>;
    cloud: {state: string};
  };
  /** Starts the interrupted card again (the announcer's own resume). */
  resume: (playerId: string, at: AnnounceResumed) => Promise<unknown>;
  /** How long after start a player may take to come back and report (default 10 minutes). */
  waitMs?: number;
  /** Between attempts when putting a player back fails (default 30 s). */
  retryMs?: number;
}

/** Tries at putting one player back before the restore is given up (and said so). */
const ATTEMPTS = 5;

const NAMESPACE = "announce_restores";

/** One player's restore while it waits: the record, the store key it was read from, the give-up timer. */
interface Waiting {
  record: PendingRestore;
  key: string;
  timer: NodeJS.Timeout;
  attempts: number;
  /** An attempt is under way. */
  busy: boolean;
}

/**
 * The restore that used to live only in memory: a crash (kill -9, a power cut) in the middle of an
 * announcement left the player on its relay card at the announcement's volume for good. Each
 * announcement saves what it must put back before it starts, and forgets it once done; on start,
 * whatever is still saved is put back once the player reports — or dropped, saying so, when the
 * player has moved on to something else meanwhile.
 */
export class PendingRestores {
  readonly #opts: PendingRestoresOptions;
  #space?: StoreNamespace<PendingRestore>;
  readonly #owner = {};
  readonly #waiting = new Map<string, Waiting>();
  readonly #running = new Set<Promise<unknown>>();

  constructor(opts: PendingRestoresOptions) {
    this.#opts = opts;
  }

  /** Read what a previous run left, and put each back once its player shows up. */
  async start(): Promise<void> {
    this.#space = this.#opts.store.namespace<PendingRestore>(NAMESPACE);
    const left = await this.#opts.store.entries<unknown>(NAMESPACE);
    if (left.length === 0) return;
    this.#opts.log.info(`${left.length} announcement(s) were cut short by a restart: putting their players back`);
    for (const [key, record] of left) {
      if (!isRestore(record)) {
        // Not something this service wrote (or from a version that wrote differently): not guessed at.
        this.#opts.log.warning(`Dropped a saved announcement restore that cannot be read (under '${key}')`);
        await this.#space.delete(key);
        continue;
      }
      const timer = setTimeout(() => this.#giveUp(record.playerId), this.#opts.waitMs ?? 600_000);
      // Two records for one player (written by hand?): the later one is used, the other dropped.
      const twin = this.#waiting.get(record.playerId);
      if (twin) {
        clearTimeout(twin.timer);
        await this.#space.delete(twin.key);
      }
      this.#waiting.set(record.playerId, {record, key, timer, attempts: 0, busy: false});
    }
    // Only what a player reports once the cloud is connected counts: at start the model holds what
    // was cached, and commands cannot be sent yet.
    // The cloud is "connected" once every player was asked what it does (primed): then the model is
    // fresh, and a player that reports nothing new is still considered.
    this.#opts.bus.on(this.#owner, "player.changed", ({player}) => {
      if (this.#opts.players.cloud.state === "connected") this.#consider(player);
    });
    this.#opts.bus.on(this.#owner, "cloud.stateChanged", ({state}) => {
      if (state === "connected") for (const player of this.#opts.players.list()) this.#consider(player);
    });
    if (this.#opts.players.cloud.state === "connected")
      for (const player of this.#opts.players.list()) this.#consider(player);
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this.#owner);
    for (const {timer} of this.#waiting.values()) clearTimeout(timer);
    this.#waiting.clear();
    await Promise.allSettled([...this.#running]);
  }

  /** Saved durably before the announcement changes anything: a failed write stops the announcement. */
  async save(record: PendingRestore): Promise<void> {
    await this.#space?.set(record.playerId, record);
  }

  /** Done (put back, or nothing to put back). */
  async forget(playerId: string): Promise<void> {
    await this.#space?.delete(playerId);
  }

  /** Restores still to do, by player (health and tests). */
  pending(): string[] {
    return [...this.#waiting.keys()];
  }

  #consider(player: PlayerState): void {
    const entry = this.#waiting.get(player.id);
    // It must be online and have said what it plays, or "moved on" cannot be told from "not known yet".
    if (!entry || entry.busy || !player.online || player.playback.status === "unknown") return;
    entry.busy = true;
    entry.attempts++;
    const work = this.#restore(player, entry).finally(() => {
      entry.busy = false;
      this.#running.delete(work);
    });
    this.#running.add(work);
  }

  async #restore(player: PlayerState, entry: Waiting): Promise<void> {
    const {log, players} = this.#opts;
    const {record} = entry;
    const pb = player.playback;
    const onRelay = pb.cardId === record.relayCardId || pb.cardId === null || pb.status === "stopped";
    try {
      if (!onRelay) {
        log.info(
          `'${player.name}' moved on (it plays card ${pb.cardId}) since an announcement cut short by a restart: left as it is`,
        );
      } else {
        const done: string[] = [];
        if (record.volume !== undefined) {
          await players.command(player.id, {command: "volume", percent: record.volume});
          done.push(`volume ${record.volume} %`);
        }
        if (record.interrupted) {
          await this.#opts.resume(player.id, record.interrupted);
          done.push(`card ${record.interrupted.cardId}${where(record.interrupted)}`);
        } else if (pb.cardId === record.relayCardId && pb.status !== "stopped") {
          await players.command(player.id, {command: "stop"});
          done.push("the announcement stopped");
        }
        log.info(
          `Put '${player.name}' back after an announcement cut short by a restart: ${done.join(", ") || "nothing to change"}`,
        );
      }
    } catch (err) {
      const why = `Could not put '${player.name}' back after an announcement cut short by a restart (${errorMessage(err)})`;
      if (entry.attempts < ATTEMPTS && this.#waiting.get(player.id) === entry) {
        // Kept: tried again in a while, with what the player reports then.
        log.warning(`${why}; trying again`);
        const retry = setTimeout(() => {
          const now = this.#opts.players.list().find((p) => p.id === player.id);
          if (now && this.#waiting.get(player.id) === entry) this.#consider(now);
        }, this.#opts.retryMs ?? 30_000);
        retry.unref();
        return;
      }
      log.warning(`${why}; given up after ${entry.attempts} tries`);
    }
    await this.#finish(player.id, entry);
  }

  /** Done with one player's restore: its timer stopped, its record removed under the key it was read from. */
  async #finish(playerId: string, entry: Waiting): Promise<void> {
    clearTimeout(entry.timer);
    if (this.#waiting.get(playerId) === entry) this.#waiting.delete(playerId);
    await this.#space
      ?.delete(entry.key)
      .catch((err: unknown) =>
        this.#opts.log.warning(`A finished announcement restore could not be removed (${errorMessage(err)})`),
      );
  }

  #giveUp(playerId: string): void {
    const entry = this.#waiting.get(playerId);
    if (!entry || entry.busy) return;
    this.#opts.log.warning(
      `Player ${playerId} did not come back after a restart cut its announcement short: its volume and story were not put back`,
    );
    void this.#finish(playerId, entry);
  }
}

/** A saved record as this service writes it; anything else is dropped at start. */
function isRestore(value: unknown): value is PendingRestore {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  const interrupted = r.interrupted as Record<string, unknown> | undefined;
  return (
    typeof r.playerId === "string" &&
    typeof r.relayCardId === "string" &&
    (r.volume === undefined || (typeof r.volume === "number" && r.volume >= 0 && r.volume <= 100)) &&
    (interrupted === undefined ||
      (typeof interrupted === "object" && interrupted !== null && typeof interrupted.cardId === "string"))
  );
}

function where(at: AnnounceResumed): string {
  const parts = [
    at.chapterKey !== undefined ? `chapter ${at.chapterKey}` : "",
    at.trackKey !== undefined ? `track ${at.trackKey}` : "",
    at.position !== undefined ? `${at.position} s in` : "",
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
}
