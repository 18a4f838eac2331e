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
  players: {list(): PlayerState[]; command(idOrName: string, command: PlayerCommand): Promise<unknown>};
  /** Starts the interrupted card again (the announcer's own resume). */
  resume: (playerId: string, at: AnnounceResumed) => Promise<unknown>;
  /** How long after start a player may take to come back and report (default 10 minutes). */
  waitMs?: number;
}

const NAMESPACE = "announce_restores";

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
  readonly #waiting = new Map<string, {record: PendingRestore; timer: NodeJS.Timeout}>();
  readonly #running = new Set<Promise<unknown>>();

  constructor(opts: PendingRestoresOptions) {
    this.#opts = opts;
  }

  /** Read what a previous run left, and put each back once its player shows up. */
  async start(): Promise<void> {
    this.#space = this.#opts.store.namespace<PendingRestore>(NAMESPACE);
    const left = await this.#opts.store.entries<PendingRestore>(NAMESPACE);
    if (left.length === 0) return;
    this.#opts.log.info(`${left.length} announcement(s) were cut short by a restart: putting their players back`);
    for (const [, record] of left) {
      const timer = setTimeout(() => this.#giveUp(record), this.#opts.waitMs ?? 600_000);
      this.#waiting.set(record.playerId, {record, timer});
    }
    this.#opts.bus.on(this.#owner, "player.changed", ({player}) => this.#consider(player));
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
    if (!entry || !player.online || player.playback.status === "unknown") return;
    clearTimeout(entry.timer);
    this.#waiting.delete(player.id);
    const work = this.#restore(player, entry.record).finally(() => this.#running.delete(work));
    this.#running.add(work);
  }

  async #restore(player: PlayerState, record: PendingRestore): Promise<void> {
    const {log, players} = this.#opts;
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
      log.warning(
        `Could not put '${player.name}' back after an announcement cut short by a restart (${errorMessage(err)})`,
      );
    }
    await this.forget(player.id).catch((err: unknown) =>
      log.warning(`A finished restore for '${player.name}' could not be removed (${errorMessage(err)})`),
    );
  }

  #giveUp(record: PendingRestore): void {
    this.#waiting.delete(record.playerId);
    this.#opts.log.warning(
      `Player ${record.playerId} did not come back after a restart cut its announcement short: its volume and story were not put back`,
    );
    void this.forget(record.playerId).catch(() => undefined);
  }
}

function where(at: AnnounceResumed): string {
  const parts = [
    at.chapterKey !== undefined ? `chapter ${at.chapterKey}` : "",
    at.trackKey !== undefined ? `track ${at.trackKey}` : "",
    at.position !== undefined ? `${at.position} s in` : "",
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
}
