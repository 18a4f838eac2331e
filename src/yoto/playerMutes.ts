import {AppError} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {PlayerState} from "./playerModel.js";
import {VOLUME_PERCENTS, VOLUME_STEPS} from "./playerModel.js";
import type {YotoPlayers} from "./players.js";

export interface PlayerMutesOptions {
  players: Pick<YotoPlayers, "get" | "command">;
  /**
   * The players' events, listened to only while a player is muted: a level set elsewhere (the
   * knob) ends its mute as it happens. Without it, a level above 0 seen once the player had time
   * to report its 0 does.
   */
  bus?: EventBus;
}

interface Muted {
  /** The level (0–16) to go back to. */
  level: number;
  /** Whether the player has reported level 0 since: until then a higher level may be the report before ours. */
  seen: boolean;
  /** When volume 0 was sent, then acked (ms). */
  at: number;
}

// How long a player is given to report the 0 it was sent: a higher level after that is someone else's.
const REPORT_MS = 5000;

/**
 * Mute for a player that has none: a Yoto only has a volume. Muting remembers its level and sets
 * volume 0; unmuting puts that level back, never above the max volume in force then (bedtime may
 * have begun meanwhile). The remembered level lives in memory: after a restart a player at 0 is
 * just quiet, and a volume up is the way back. Whoever sets a level meanwhile (the knob, Home
 * Assistant's slider, a rule) ends the mute: the player is then no longer muted, and unmuting
 * later changes nothing.
 */
export class PlayerMutes {
  readonly #players: PlayerMutesOptions["players"];
  readonly #bus?: EventBus;
  readonly #muted = new Map<string, Muted>();

  constructor(opts: PlayerMutesOptions) {
    this.#players = opts.players;
    this.#bus = opts.bus;
  }

  /** Remember the level and set volume 0; muting a muted player changes nothing. */
  async mute(playerId: string): Promise<void> {
    const player = this.#players.get(playerId);
    if (this.#current(player)) return;
    const level = player.volume.level;
    if (level === undefined)
      throw new AppError(
        "volume_unknown",
        `'${player.name}' has not reported its volume yet, so there is no level to come back to: try again once it has`,
        {status: 409},
      );
    this.#remember(player.id, {level, seen: level === 0, at: Date.now()});
    try {
      await this.#players.command(player.id, {command: "volume", percent: 0});
      // Acked: the player's report of the 0 follows, counted from now.
      const muted = this.#muted.get(player.id);
      if (muted) muted.at = Date.now();
    } catch (err) {
      this.#forget(player.id);
      throw err;
    }
  }

  /** Put the remembered level back (at most the max in force); a player not muted is left as it is. */
  async unmute(playerId: string): Promise<void> {
    const player = this.#players.get(playerId);
    const muted = this.#current(player);
    if (!muted) return;
    const level = Math.min(muted.level, player.volume.max ?? VOLUME_STEPS);
    await this.#players.command(player.id, {command: "volume", percent: VOLUME_PERCENTS[level] as number});
    // Kept until the command went through: a failed unmute leaves it muted, and says why.
    if (this.#muted.get(player.id) === muted) this.#forget(player.id);
  }

  /** At level 0 with a level to come back to (or asked to be, and not yet reported). */
  muted(playerId: string): boolean {
    return this.#current(this.#players.get(playerId)) !== undefined;
  }

  /** The level (0–16) a muted player goes back to, or undefined when it is not muted. */
  mutedLevel(playerId: string): number | undefined {
    return this.#current(this.#players.get(playerId))?.level;
  }

  /** The player's mute while it lasts; a level above 0 reported after its 0 ends it. */
  #current(player: PlayerState): Muted | undefined {
    const muted = this.#muted.get(player.id);
    if (!muted) return undefined;
    const level = player.volume.level;
    if (level === 0) {
      muted.seen = true;
      return muted;
    }
    if (!muted.seen && Date.now() - muted.at < REPORT_MS) return muted;
    this.#forget(player.id);
    return undefined;
  }

  #remember(playerId: string, muted: Muted): void {
    if (this.#muted.size === 0)
      this.#bus?.on(this, "player.changed", ({player}) => {
        if (this.#muted.has(player.id)) this.#current(player);
      });
    this.#muted.set(playerId, muted);
  }

  #forget(playerId: string): void {
    if (this.#muted.delete(playerId) && this.#muted.size === 0) this.#bus?.off(this);
  }
}
