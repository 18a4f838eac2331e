import {errorMessage} from "../core/errors.js";
import {applyShadow, type PlayerState} from "./playerModel.js";
import type {DeviceConfig, YotoRest} from "./rest.js";
import {configChanges, readSettings, type SettingsPatch} from "./settings.js";

export interface PlayerConfigsOptions {
  rest: Pick<YotoRest, "deviceConfig" | "updateConfig">;
  /** The player as the model holds it now (it may have changed while Yoto answered). */
  current(id: string): PlayerState | undefined;
  commit(previous: PlayerState, next: PlayerState): void;
  warnOnce(key: string, message: string): void;
  forgetWarning(key: string): void;
}

/**
 * Each player's `GET /device-v2/{id}/config`: the settings families change (night light colours,
 * max volumes, brightness, day and night times, alarms) and the device shadow that keeps an
 * offline player's last battery and card (§10.11). Writes are read-merge-write (§10.15): Yoto's
 * PUT replaces the whole block, so anything left out would be reset to the firmware's default.
 */
export class PlayerConfigs {
  readonly #opts: PlayerConfigsOptions;
  /** Players whose config is being read, so overlapping refreshes ask once. */
  readonly #reading = new Set<string>();

  constructor(opts: PlayerConfigsOptions) {
    this.#opts = opts;
  }

  /** Every player's config; one failure costs only that player's settings and last known values. */
  async readAll(players: PlayerState[]): Promise<void> {
    await Promise.all(players.filter((p) => !this.#reading.has(p.id)).map((p) => this.#read(p)));
  }

  async #read(player: PlayerState): Promise<void> {
    const key = `${player.id}/config`;
    this.#reading.add(player.id);
    try {
      const device = await this.#opts.rest.deviceConfig(player.id);
      this.#opts.forgetWarning(key);
      this.#apply(player.id, device?.config, device?.status);
    } catch (err) {
      this.#opts.warnOnce(
        key,
        `Could not read the settings and last known state of '${player.name}' from Yoto (${errorMessage(err)}); it shows what the player itself reports`,
      );
    } finally {
      this.#reading.delete(player.id);
    }
  }

  /**
   * Change settings: the patch is turned into config keys against the block as Yoto has it now
   * (alarms are rewritten whole), written back whole, and the model updated from what was written.
   */
  async update(player: PlayerState, patch: SettingsPatch): Promise<DeviceConfig> {
    let changes: DeviceConfig = {};
    const written = await this.#opts.rest.updateConfig(player.id, (config) => {
      changes = configChanges(patch, config);
      return changes;
    });
    this.#apply(player.id, written, undefined);
    return changes;
  }

  #apply(id: string, config: unknown, shadow: unknown): void {
    const current = this.#opts.current(id);
    if (!current) return;
    // A body without `status` holds no shadow: applyShadow then changes nothing.
    let next = applyShadow(current, shadow);
    if (typeof config === "object" && config !== null && !Array.isArray(config))
      next = {...next, settings: readSettings(config as DeviceConfig)};
    this.#opts.commit(current, next);
  }
}
