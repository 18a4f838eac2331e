import {KeyedQueue} from "../core/concurrency.js";
import {errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {QuietCommand} from "../yoto/admission.js";
import {type PlayerState, VOLUME_PERCENTS} from "../yoto/playerModel.js";
import {maxReported, maxVolumesOf, quietView} from "./playerVolumes.js";
import {type QuietClock, quietUntil} from "./quietUntil.js";
import {type QuietReason, quietSentence} from "./quietWords.js";
import type {QuietEnded, QuietLift, QuietPeriod, QuietView} from "./types.js";

export type {MaxVolumes, QuietLift, QuietPeriod} from "./types.js";

export interface QuietHoursOptions {
  store: StateStore;
  players: {get(idOrName: string): PlayerState; command(idOrName: string, command: QuietCommand): Promise<unknown>};
  bus: EventBus;
  log: Logger;
  /** The family's zone, for the time quiet ends in a refusal ("quiet until 07:40"); UTC if not given. */
  timeZone?: string;
  /** How long after a failed restore to try again (tests shorten it). */
  retryMs?: number;
}

const NAMESPACE = "quiet_hours";
// setTimeout takes at most ~24.8 days; a later end is re-armed.
const MAX_TIMER_MS = 2_147_000_000;

/** The volume step a player comes back at when it had none worth restoring (about a third). */
export const MORNING_VOLUME_STEP = 5;

/**
 * Quiet hours (`player.quiet`): a player's day and night max volume go to 0 until a time, then back
 * to what they were. The pending restore is saved before the player is touched, so a restart of
 * the service restores an overdue one on start, and a player that is offline at the time gets its
 * volumes back when it comes online. Work on one player is done one step at a time, so starting
 * quiet hours again can never cross a restore that is under way. Every change of a player's quiet
 * hours is a `quiet.changed` on the bus (the panel and Home Assistant show it).
 */
export class QuietHours implements Service {
  readonly name = "quiet-hours";
  readonly #opts: QuietHoursOptions;
  readonly #periods = new Map<string, QuietPeriod>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** Why a player's restore is not done yet (offline, Yoto refused), for health. */
  readonly #waiting = new Map<string, string>();
  readonly #queue = new KeyedQueue();
  #space?: StoreNamespace<QuietPeriod>;
  #stopped = true;

  constructor(opts: QuietHoursOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#space = this.#opts.store.namespace<QuietPeriod>(NAMESPACE);
    for (const [, period] of await this.#opts.store.entries<QuietPeriod>(NAMESPACE)) {
      this.#periods.set(period.playerId, period);
      this.#arm(period);
      // Stopped in the middle of a lift: the player may still be audible; mute it again.
      if (period.lifted) this.#remuteLater(period.playerId);
    }
    // Players come (after linking), and come back online: an overdue restore goes out then.
    this.#opts.bus.on(this, "player.added", ({player}) => this.#onPlayer(player));
    this.#opts.bus.on(this, "player.changed", ({player, previous}) => {
      if (player.online && !previous.online) this.#onPlayer(player);
    });
  }

  async stop(): Promise<void> {
    // A stop in the middle of an announcement must not leave a quiet player audible until the next start.
    const lifted = [...this.#periods.values()].filter((p) => p.lifted);
    await Promise.all(lifted.map((p) => this.remuteIfLifted(p.playerId)));
    this.#stopped = true;
    this.#opts.bus.off(this);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await this.#queue.idle();
    this.#periods.clear();
    this.#waiting.clear();
  }

  health() {
    const waiting = [...this.#waiting.entries()].map(([id, why]) => `${this.#periods.get(id)?.player ?? id}: ${why}`);
    return {
      ...(waiting.length ? {degraded: true, error: `Quiet hours not yet undone: ${waiting.join("; ")}`} : {}),
      details: {quietPlayers: this.#periods.size},
    };
  }

  /** What is quiet now, soonest end first. */
  list(): QuietPeriod[] {
    return [...this.#periods.values()].sort((a, b) => a.until - b.until);
  }

  /** The same for the admin API: ends as ISO times, and why an overdue restore waits. */
  views(): QuietView[] {
    return this.list().map((period) => quietView(period, this.#waiting.get(period.playerId)));
  }

  /** One player's quiet hours, by id; undefined when it is not kept quiet. */
  period(playerId: string): QuietPeriod | undefined {
    return this.#periods.get(playerId);
  }

  /**
   * Why the player may not play now (the one sentence every refusal says), or undefined when it may;
   * `why` is the plan's reason (a child's bedtime or day's listening), else it is quiet hours.
   */
  refusal(playerId: string, why?: QuietReason, now = Date.now()): string | undefined {
    const period = this.#periods.get(playerId);
    return period && period.until > now ? quietSentence(period, now, this.#opts.timeZone ?? "UTC", why) : undefined;
  }

  /**
   * End a player's quiet hours now, the way the timed end does: the earlier end is saved first (a
   * restart must not keep the player muted until the old time), then the max volumes go back. An
   * offline player gets them when it returns and a refusal is retried; the answer says which.
   */
  end(idOrName: string, opts: {volume?: number} = {}): Promise<QuietEnded> {
    const player = this.#opts.players.get(idOrName);
    return this.#queue.run(player.id, async () => {
      const period = this.#periods.get(player.id);
      if (!period) throw notFound(`'${player.name}' is not in quiet hours: there is nothing to end`, "not_quiet");
      if (this.#stopped || !this.#space) throw new Error("quiet hours are not running");
      const now = Date.now();
      if (period.until > now || (opts.volume !== undefined && opts.volume !== period.volume)) {
        const ended: QuietPeriod = {
          ...period,
          until: Math.min(now, period.until),
          volume: opts.volume ?? period.volume,
        };
        await this.#space.set(player.id, ended);
        this.#periods.set(player.id, ended);
        this.#opts.log.info(`Quiet hours on '${period.player}' ended early`);
      }
      clearTimeout(this.#timers.get(player.id));
      this.#timers.delete(player.id);
      const waiting = await this.#undo(player.id);
      return {
        playerId: period.playerId,
        player: period.player,
        restore: {...period.restore},
        ...(period.volume !== undefined ? {volume: opts.volume ?? period.volume} : {}),
        restored: waiting === undefined,
        ...(waiting ? {waiting} : {}),
      };
    });
  }

  /**
   * Make a player quiet until `until`: saved first, then max volumes 0, then a pause if it plays.
   * Again while quiet: the new end replaces the old one and the volumes to restore stay the first.
   * At the end the volume goes back to `volume` (the family plan's morning volume), else to the
   * step the player had when quiet began: max volume 0 pulls the volume itself down to 0, and a
   * child pressing play in the morning must hear something.
   */
  /** Quiet until a time of day (`"07:00"`), read in `clock`'s zone: the API's and `player.quiet`'s way in. */
  beginUntil(idOrName: string, until: unknown, clock: QuietClock): Promise<QuietPeriod> {
    return this.begin(idOrName, quietUntil(until, clock));
  }

  begin(idOrName: string, until: number, opts: {volume?: number} = {}): Promise<QuietPeriod> {
    const player = this.#opts.players.get(idOrName);
    return this.#queue.run(player.id, async () => {
      const earlier = this.#periods.get(player.id);
      const restore = earlier?.restore ?? maxVolumesOf(player);
      const before = earlier ? earlier.before : player.volume.level;
      // At 0 (or not yet reported) when quiet began: a morning at 0 is the silence this prevents.
      const volume = opts.volume ?? earlier?.volume ?? (before ? before : MORNING_VOLUME_STEP);
      const period: QuietPeriod = {
        playerId: player.id,
        player: player.name,
        until,
        restore,
        ...(volume !== undefined ? {volume} : {}),
        ...(before !== undefined ? {before} : {}),
      };
      if (!this.#space) throw new Error("quiet hours are not running");
      // Durable before anything changes: otherwise a restart could leave the player muted for good.
      await this.#space.set(player.id, period);
      this.#periods.set(player.id, period);
      this.#waiting.delete(player.id);
      this.#arm(period);
      this.#changed(period);
      await this.#opts.players.command(player.id, {
        command: "settings",
        settings: {dayMaxVolume: 0, nightMaxVolume: 0},
      });
      const now = this.#opts.players.get(player.id);
      if (now.online && now.playback.status === "playing")
        await this.#opts.players.command(player.id, {command: "pause"});
      this.#opts.log.info(
        `Quiet hours on '${player.name}' until ${new Date(until).toISOString()}: max volume 0 (day ${restore.dayMaxVolume} and night ${restore.nightMaxVolume} come back then)`,
      );
      return period;
    });
  }

  /**
   * Let a quiet player be heard for a moment without ending its quiet hours (a parent's
   * announcement, a child's sleep sound): saved as lifted first, then its max volumes go back (or
   * to `maxVolume`, when lower: a sleep sound's step, which the child cannot turn up) and, once it
   * reports them, the caller plays; `release()` puts max volume 0 back. Undefined when the player is
   * not quiet. The quiet stays in force for everything else (the family plan still holds it, the end stays).
   */
  lift(playerId: string, opts: {maxVolume?: number; for?: string} = {}): Promise<QuietLift | undefined> {
    return this.#queue.run(playerId, async () => {
      const period = this.#periods.get(playerId);
      if (!period || period.until <= Date.now()) return undefined;
      if (!this.#space) throw new Error("quiet hours are not running");
      const lifted: QuietPeriod = {...period, lifted: true};
      await this.#space.set(playerId, lifted);
      this.#periods.set(playerId, lifted);
      const cap = (max: number) => (opts.maxVolume === undefined ? max : Math.min(max, opts.maxVolume));
      const dayMaxVolume = cap(period.restore.dayMaxVolume);
      const nightMaxVolume = cap(period.restore.nightMaxVolume);
      try {
        await this.#opts.players.command(playerId, {command: "settings", settings: {dayMaxVolume, nightMaxVolume}});
      } catch (err) {
        await this.#mute(playerId).catch(() => undefined);
        throw err;
      }
      await maxReported(this.#opts, playerId, 3000);
      this.#opts.log.info(`Quiet hours on '${period.player}' lifted for ${opts.for ?? "an announcement"}`);
      const wanted = opts.maxVolume ?? (period.before || MORNING_VOLUME_STEP);
      const volumeStep = Math.min(wanted, dayMaxVolume, nightMaxVolume);
      return {until: period.until, volumeStep, release: () => this.#remute(playerId)};
    });
  }

  /** Max volume 0 again for a player left lifted; a failure is logged (the start or its return tries again). */
  remuteIfLifted(playerId: string): Promise<void> {
    if (!this.#periods.get(playerId)?.lifted) return Promise.resolve();
    return this.#remute(playerId).catch((err) =>
      this.#opts.log.warning(
        `Quiet hours on '${this.#periods.get(playerId)?.player ?? playerId}' could not mute it again after an announcement (${errorMessage(err)}); tried again when it next comes online`,
      ),
    );
  }

  /** After a lift: max volume 0 again, if the player is still quiet and still lifted. */
  #remute(playerId: string): Promise<void> {
    return this.#queue.run(playerId, async () => {
      const period = this.#periods.get(playerId);
      if (!period?.lifted) return;
      if (period.until <= Date.now()) {
        // Over meanwhile: the end puts the max volumes back (and forgets the lift with the period).
        await this.#undo(playerId);
        return;
      }
      await this.#mute(playerId);
      this.#opts.log.info(`Quiet hours on '${period.player}' back after the announcement`);
    });
  }

  /** Mute a player left lifted (a stop mid-announcement) once it can hear it; it is tried again when it comes online. */
  #remuteLater(playerId: string): void {
    let online = false;
    try {
      online = this.#opts.players.get(playerId).online;
    } catch {
      // Not listed yet: `player.added` brings it here again.
    }
    if (online) void this.remuteIfLifted(playerId);
  }

  /** Max volume 0 (a lift is over), then the record without the lift. A failure stays lifted: retried when the player next comes online or the service starts. */
  async #mute(playerId: string): Promise<void> {
    await this.#opts.players.command(playerId, {
      command: "settings",
      settings: {dayMaxVolume: 0, nightMaxVolume: 0},
    });
    const period = this.#periods.get(playerId);
    if (!period || !this.#space) return;
    const {lifted: _, ...muted} = period;
    await this.#space.set(playerId, muted);
    this.#periods.set(playerId, muted);
  }

  #arm(period: QuietPeriod): void {
    clearTimeout(this.#timers.get(period.playerId));
    const wait = () => {
      const left = period.until - Date.now();
      if (left > 0) {
        this.#timers.set(period.playerId, setTimeout(wait, Math.min(left, MAX_TIMER_MS)));
        return;
      }
      this.#timers.delete(period.playerId);
      void this.#restore(period.playerId);
    };
    wait();
  }

  #onPlayer(player: PlayerState): void {
    const period = this.#periods.get(player.id);
    if (period?.lifted && period.until > Date.now()) this.#remuteLater(player.id);
    if (period && period.until <= Date.now() && !this.#timers.has(player.id)) void this.#restore(player.id);
  }

  /** Put the max volumes back, after whatever is under way for the player. */
  #restore(id: string): Promise<unknown> {
    return this.#queue.run(id, () => this.#undo(id));
  }

  /**
   * Put the max volumes back if the end is due; an offline player waits for its return, a refusal
   * is retried. Answers why the volumes are not back yet, or undefined when they are.
   */
  async #undo(id: string): Promise<string | undefined> {
    const period = this.#periods.get(id);
    if (this.#stopped || !period || period.until > Date.now()) return undefined;
    let player: PlayerState;
    try {
      player = this.#opts.players.get(id);
    } catch {
      return this.#wait(period, "the player is not known yet (is the Yoto account linked?)");
    }
    if (!player.online) return this.#wait(period, "the player is offline; it is done when it comes back");
    const {dayMaxVolume, nightMaxVolume} = period.restore;
    try {
      await this.#opts.players.command(id, {command: "settings", settings: {dayMaxVolume, nightMaxVolume}});
    } catch (err) {
      const why = this.#wait(period, `Yoto refused the change (${errorMessage(err)})`);
      this.#retry(period);
      return why;
    }
    this.#periods.delete(id);
    this.#waiting.delete(id);
    this.#opts.log.info(
      `Quiet hours over on '${player.name}': max volume back to day ${dayMaxVolume}, night ${nightMaxVolume}${period.volume !== undefined ? `, volume ${period.volume}` : ""}`,
    );
    if (period.volume !== undefined) {
      // The player caps a volume at the max it last reported; that report of the new max follows
      // the settings by a moment, and until it comes any volume would be cut back to 0.
      await maxReported(this.#opts, id, 3000);
      const percent = VOLUME_PERCENTS[Math.min(period.volume, dayMaxVolume, nightMaxVolume)] ?? 0;
      // The max volumes are back, which is what matters; a lost volume change is only a quieter morning.
      await this.#opts.players.command(id, {command: "volume", percent}).catch((err) => {
        this.#opts.log.warning(
          `Quiet hours over on '${player.name}', but its volume could not be set (${errorMessage(err)})`,
        );
      });
    }
    // The player has its volumes: a failure to forget the record only means the same values
    // are written once more after a restart.
    await this.#space?.delete(id).catch((err) => {
      this.#opts.log.error(`Could not forget the quiet hours of '${player.name}' (${errorMessage(err)})`);
    });
    this.#opts.bus.emit("quiet.changed", {playerId: id, player: period.player});
    return undefined;
  }

  #wait(period: QuietPeriod, why: string): string {
    if (this.#waiting.get(period.playerId) !== why) {
      this.#opts.log.warning(`Quiet hours on '${period.player}' are over but not undone yet: ${why}`);
      this.#waiting.set(period.playerId, why);
      this.#changed(period);
    }
    return why;
  }

  #changed(period: QuietPeriod): void {
    this.#opts.bus.emit("quiet.changed", {
      playerId: period.playerId,
      player: period.player,
      until: new Date(period.until).toISOString(),
    });
  }

  #retry(period: QuietPeriod): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(period.playerId);
      void this.#restore(period.playerId);
    }, this.#opts.retryMs ?? 60_000);
    this.#timers.set(period.playerId, timer);
  }
}
