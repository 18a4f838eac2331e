import type {BridgeTopics} from "../bridge/topics.js";

/**
 * The state topics the MQTT Media Player integration (HACS, bkbilly/mqtt_media_player) subscribes
 * to, by the key its config names them with (`state_<key>_topic`), and what each carries.
 */
export const STATE_KEYS = [
  "state",
  "title",
  "artist",
  "album",
  "duration",
  "position",
  "volume",
  "albumart",
  "mediatype",
  "mute",
] as const;
export type StateKey = (typeof STATE_KEYS)[number];

/** The commands it publishes, by the key its config names them with (`command_<key>_topic`). */
export const COMMAND_KEYS = ["play", "pause", "next", "previous", "volume", "mute", "playmedia"] as const;
export type CommandKey = (typeof COMMAND_KEYS)[number];

/**
 * The integration reads its config from `homeassistant/media_player/<name>/config` whatever Home
 * Assistant's own discovery prefix is: the prefix is written into its source, not configurable.
 */
export const HACS_CONFIG_PREFIX = "homeassistant/media_player";

/** Every topic of one player's media player: `<base>/<id>/media/…`, commands under `…/media/set/`. */
export class MediaTopics {
  constructor(readonly bridge: BridgeTopics) {}

  /**
   * The name a user types into the integration: the instance's slug and the player's id, so it
   * never changes when the family renames the player, and two players (or two instances of this
   * service on one broker) never share one. Yoto ids are `[A-Za-z0-9_-]`, as MQTT and Home
   * Assistant's discovery topics allow.
   */
  name(playerId: string): string {
    return `${this.bridge.slug}_${playerId}`;
  }

  config(playerId: string): string {
    return `${HACS_CONFIG_PREFIX}/${this.name(playerId)}/config`;
  }

  state(playerId: string, key: StateKey): string {
    return `${this.bridge.player(playerId)}/media/${key}`;
  }

  command(playerId: string, key: CommandKey): string {
    return `${this.bridge.player(playerId)}/media/set/${key}`;
  }

  /** One subscription for every player's commands. */
  get subscription(): string {
    return `${this.bridge.base}/+/media/set/+`;
  }

  /** Every config the integration could read, ours and others'. */
  get configPattern(): string {
    return `${HACS_CONFIG_PREFIX}/+/config`;
  }

  /** The player whose config this topic would be, if this instance named it. */
  playerOfConfig(topic: string): string | undefined {
    const prefix = `${HACS_CONFIG_PREFIX}/${this.bridge.slug}_`;
    if (!topic.startsWith(prefix) || !topic.endsWith("/config")) return undefined;
    const id = topic.slice(prefix.length, -"/config".length);
    return /^[A-Za-z0-9_-]+$/.test(id) ? id : undefined;
  }

  /** `<base>/<id>/media/set/<command>` → who and what; anything else is not ours. */
  parseCommand(topic: string): {playerId: string; command: string} | undefined {
    const prefix = `${this.bridge.base}/`;
    if (!topic.startsWith(prefix)) return undefined;
    const parts = topic.slice(prefix.length).split("/");
    if (parts.length !== 4 || parts[1] !== "media" || parts[2] !== "set" || !parts[0] || parts[0] === "bridge")
      return undefined;
    return {playerId: parts[0], command: parts[3] as string};
  }
}

/** The payloads of the play, pause, next and previous commands (the integration sends what we name). */
export const COMMAND_PAYLOADS = {play: "play", pause: "pause", next: "next", previous: "previous"} as const;

/**
 * Mute's payloads, both ways: the integration sends these on `command_mute_topic` (written into its
 * source, not configurable) and reads the same on `state_mute_topic`, ignoring anything else.
 */
export const MUTE_PAYLOADS = {on: "mute", off: "unmute"} as const;

/** The integration's config for one player (the keys its source reads; it reads no others). */
export function mediaPlayerConfig(t: MediaTopics, playerId: string, playerName: string): Record<string, unknown> {
  const config: Record<string, unknown> = {
    name: playerName || "Yoto Player",
    // The bridge's own state: the broker sets it offline if this service vanishes. A player that
    // is itself out of reach shows as "off" through the state topic instead.
    availability: {
      topic: t.bridge.bridgeState,
      payload_available: JSON.stringify({state: "online"}),
      payload_not_available: JSON.stringify({state: "offline"}),
    },
  };
  for (const key of STATE_KEYS) config[`state_${key}_topic`] = t.state(playerId, key);
  for (const key of COMMAND_KEYS) config[`command_${key}_topic`] = t.command(playerId, key);
  for (const [key, payload] of Object.entries(COMMAND_PAYLOADS)) config[`command_${key}_payload`] = payload;
  return config;
}
