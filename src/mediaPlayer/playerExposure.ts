import {KeyedQueue} from "../core/concurrency.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {Exposure, ExposureChanged} from "../shared/api/exposure.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";

export type {Exposure, ExposureChanged};

/** What the player switches tell the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /** A player's Home Assistant switches were saved (the media player and renderer follow them). */
    "player.exposureChanged": ExposureChanged;
  }
}

export interface PlayerExposureOptions {
  store: StateStore;
  bus: EventBus;
  log: Logger;
}

const NAMESPACE = "player_exposure";

/** Every player offers both ways in until a parent turns one off. */
export const DEFAULT_EXPOSURE: Readonly<Exposure> = Object.freeze({media_player: true, upnp: true});

/**
 * The per-player switches of the panel's player details: whether a player is offered to Home
 * Assistant as an MQTT media player (HACS) and as a DLNA renderer. Kept by player id, so a rename
 * keeps them. A change is saved before it is answered or announced (`player.exposureChanged`): a parent
 * who turned a renderer off must not see it come back after a restart, so a failed write is the
 * answer, never a value that only lives in memory.
 */
export class PlayerExposure implements Service {
  readonly name = "player-exposure";
  readonly #opts: PlayerExposureOptions;
  readonly #saved = new Map<string, Exposure>();
  // One change per player at a time: two quick patches both land instead of the last overwriting the first.
  readonly #queue = new KeyedQueue();
  #space?: StoreNamespace<Exposure>;

  constructor(opts: PlayerExposureOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    this.#space = this.#opts.store.namespace<Exposure>(NAMESPACE);
    for (const [playerId, value] of await this.#opts.store.entries<Partial<Exposure>>(NAMESPACE))
      this.#saved.set(playerId, complete(value));
    const off = [...this.#saved.entries()].filter(([, e]) => !e.media_player || !e.upnp).map(([id]) => id);
    if (off.length) this.#opts.log.debug(() => `Players with a Home Assistant way in turned off: ${off.join(", ")}`);
  }

  async stop(): Promise<void> {
    await this.#queue.idle();
    this.#space = undefined;
    this.#saved.clear();
  }

  health() {
    const saved = [...this.#saved.values()];
    return {
      details: {
        mediaPlayersOff: saved.filter((e) => !e.media_player).length,
        renderersOff: saved.filter((e) => !e.upnp).length,
      },
    };
  }

  /** The player's switches (both on for a player never changed). */
  get(playerId: string): Exposure {
    return {...(this.#saved.get(playerId) ?? DEFAULT_EXPOSURE)};
  }

  /** Change some of a player's switches; resolves with all of them once they are saved. */
  set(playerId: string, patch: Partial<Exposure>): Promise<Exposure> {
    return this.#queue.run(playerId, async () => {
      const space = this.#space;
      if (!space) throw new Error("the player switches are not running");
      const next = complete({...this.get(playerId), ...patch});
      await space.set(playerId, next);
      this.#saved.set(playerId, next);
      this.#opts.bus.emit("player.exposureChanged", {playerId, exposure: {...next}});
      return {...next};
    });
  }
}

/** Only the two switches, each a boolean (a value saved by an older version may lack one). */
function complete(value: Partial<Exposure> | undefined): Exposure {
  return {
    media_player: typeof value?.media_player === "boolean" ? value.media_player : DEFAULT_EXPOSURE.media_player,
    upnp: typeof value?.upnp === "boolean" ? value.upnp : DEFAULT_EXPOSURE.upnp,
  };
}
