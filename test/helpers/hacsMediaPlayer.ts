import mqtt, {type MqttClient} from "mqtt";
import type {BrokerConnection} from "../../src/broker/localBroker.js";

/**
 * One media player of the MQTT Media Player integration (HACS, bkbilly/mqtt_media_player 2026.9,
 * media_player.py) played exactly as its source behaves, so our side of the contract is tested
 * against it:
 * - an entry set up by hand (the user typed its name) subscribes to `homeassistant/media_player/#`,
 *   one found by discovery to the topic it was found on; either takes only the config whose topic
 *   names it (the part before `/config`) and reads only the keys below (command payloads default
 *   to "Play", "Pause", "Next", "Previous");
 * - an empty config is logged ("device removed") and ignored: the entity keeps its subscriptions;
 * - it subscribes to every state topic the config names and parses each as its handler does:
 *   `int()` for duration and position (a failure sets the *position* to None, for both), `float()`
 *   for the volume (a failure, an empty text too, raises in Home Assistant's callback: recorded here
 *   as an error), "mute"/"unmute" for mute (anything else ignored), base64 for the album art (Home
 *   Assistant is told it is `image/jpeg`), the rest as text (an empty one too);
 * - its state is "unavailable" when the availability payload says not available, else the text;
 * - it publishes the configured payloads; the volume as Python's `str(round(float(v), 2))`; mute
 *   as "mute" or "unmute"; and play_media as `json.dumps({"media_type": …, "media_id": …})`;
 * - deleting its entry in Home Assistant publishes an empty retained config on its config topic.
 */
export class HacsMediaPlayer {
  readonly errors: string[] = [];
  config?: Record<string, unknown>;
  name?: string;
  state?: string;
  title?: string;
  artist?: string;
  album?: string;
  duration?: number | null;
  position?: number | null;
  volume = 0;
  albumArt?: Buffer;
  mediaType = "music";
  available?: boolean;
  muted?: boolean;
  /** Empty configs it was handed ("Received empty config payload - device removed"). */
  removedNotices = 0;
  readonly #client: MqttClient;
  readonly #title: string;
  readonly #configTopic: string;

  private constructor(client: MqttClient, title: string, configTopic: string) {
    this.#client = client;
    this.#title = title;
    this.#configTopic = configTopic;
  }

  /** Set up as the config flow does: the user typed `title`, or discovery found it on `discoveryTopic`. */
  static async connect(broker: BrokerConnection, title: string, discoveryTopic?: string): Promise<HacsMediaPlayer> {
    const client = await mqtt.connectAsync(broker.url, {username: broker.username, password: broker.password});
    const player = new HacsMediaPlayer(client, title, discoveryTopic ?? `homeassistant/media_player/${title}/config`);
    client.on("message", (topic, payload) => player.#onMessage(topic, payload.toString("utf8")));
    await client.subscribeAsync(discoveryTopic ?? "homeassistant/media_player/#");
    return player;
  }

  /** Its entry deleted in Home Assistant (async_remove_entry): an empty retained config, and the entity gone. */
  async deleteEntry(): Promise<void> {
    await this.#client.publishAsync(this.#configTopic, "", {retain: true});
    await this.close();
  }

  /** What Home Assistant shows as the entity's state. */
  get haState(): string | undefined {
    return this.available === false ? "unavailable" : this.state;
  }

  async close(): Promise<void> {
    await this.#client.endAsync();
  }

  play = () => this.#publish("command_play_topic", this.#payload("command_play_payload", "Play"));
  pause = () => this.#publish("command_pause_topic", this.#payload("command_pause_payload", "Pause"));
  next = () => this.#publish("command_next_topic", this.#payload("command_next_payload", "Next"));
  previous = () => this.#publish("command_previous_topic", this.#payload("command_previous_payload", "Previous"));
  setVolume = (volume: number) => this.#publish("command_volume_topic", pythonFloat(Math.round(volume * 100) / 100));
  mute = (on: boolean) => this.#publish("command_mute_topic", on ? "mute" : "unmute");
  /** Home Assistant's own volume_up: the level plus its default step of 0.1, at most 1. */
  volumeUp = () => this.setVolume(Math.min(1, this.volume + 0.1));
  playMedia = (mediaType: string, mediaId: string) =>
    this.#publish(
      "command_playmedia_topic",
      `{"media_type": ${JSON.stringify(mediaType)}, "media_id": ${JSON.stringify(mediaId)}}`,
    );

  #payload(key: string, fallback: string): string {
    const value = this.config?.[key];
    return typeof value === "string" ? value : fallback;
  }

  async #publish(key: string, payload: string): Promise<void> {
    const topic = this.config?.[key];
    if (typeof topic !== "string") throw new Error(`the config names no ${key}`);
    await this.#client.publishAsync(topic, payload);
  }

  #onMessage(topic: string, payload: string): void {
    if (topic.startsWith("homeassistant/media_player/")) {
      if (payload.trim() === "") this.removedNotices++;
      else if (topic.endsWith("/config") && topic.split("/").at(-2) === this.#title) void this.#configure(payload);
      return;
    }
    const c = this.config ?? {};
    const availability = (c.availability ?? {}) as Record<string, unknown>;
    if (topic === availability.topic) {
      if (payload === (availability.payload_available ?? "online")) this.available = true;
      else if (payload === (availability.payload_not_available ?? "offline")) this.available = false;
    }
    if (topic === c.state_state_topic) this.state = payload;
    if (topic === c.state_title_topic) this.title = payload;
    if (topic === c.state_artist_topic) this.artist = payload;
    if (topic === c.state_album_topic) this.album = payload;
    if (topic === c.state_duration_topic) {
      const n = pythonInt(payload);
      if (n === undefined) this.position = null;
      else this.duration = n;
    }
    if (topic === c.state_position_topic) this.position = pythonInt(payload) ?? null;
    if (topic === c.state_volume_topic) {
      const v = pythonFloatParse(payload);
      if (v === undefined) this.errors.push(`float() of '${payload}' on ${topic}`);
      else this.volume = v;
    }
    if (topic === c.state_mute_topic) {
      const said = payload.trim().toLowerCase();
      if (said === "mute") this.muted = true;
      else if (said === "unmute") this.muted = false;
    }
    if (topic === c.state_albumart_topic) this.albumArt = Buffer.from(payload.replace(/\n/g, ""), "base64");
    if (topic === c.state_mediatype_topic) this.mediaType = payload;
  }

  /** json.loads, then unsubscribe from what the last config named and subscribe to the new. */
  async #configure(payload: string): Promise<void> {
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(payload) as Record<string, unknown>;
    } catch {
      this.errors.push(`json.loads of the config '${payload.slice(0, 40)}'`);
      return;
    }
    const old = this.#topics(this.config ?? {});
    this.config = config;
    this.name = config.name as string | undefined;
    if (old.length) await this.#client.unsubscribeAsync(old);
    const topics = this.#topics(config);
    if (topics.length) await this.#client.subscribeAsync(topics);
  }

  #topics(c: Record<string, unknown>): string[] {
    const keys = [
      "state",
      "title",
      "artist",
      "album",
      "duration",
      "position",
      "volume",
      "mute",
      "albumart",
      "mediatype",
    ];
    const topics = keys.map((k) => c[`state_${k}_topic`]);
    topics.push(((c.availability ?? {}) as Record<string, unknown>).topic);
    return topics.filter((t): t is string => typeof t === "string");
  }
}

/** Python's int() of a text: digits with an optional sign and surrounding whitespace, else a ValueError. */
function pythonInt(text: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

function pythonFloatParse(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) && !/^[+-]?(inf|infinity|nan)$/i.test(t)) return undefined;
  return Number(t);
}

/** Python's str() of a float: 1.0 stays "1.0". */
function pythonFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/**
 * The integration's own discovery (its `__init__.py`, 2026.9): it subscribes to
 * `homeassistant/media_player/#` and, for each non-empty JSON config whose device (the part before
 * `/config`) has no entry yet, starts a config flow: the device is offered under Discovered.
 * Empty configs are ignored.
 */
export class HacsDiscovery {
  /** Device ids offered, in order (each time a config arrived for a device with no entry). */
  readonly offered: string[] = [];
  readonly configured = new Set<string>();
  readonly #client: MqttClient;

  private constructor(client: MqttClient) {
    this.#client = client;
  }

  static async connect(broker: BrokerConnection): Promise<HacsDiscovery> {
    const client = await mqtt.connectAsync(broker.url, {username: broker.username, password: broker.password});
    const discovery = new HacsDiscovery(client);
    client.on("message", (topic, payload) => discovery.#onMessage(topic, payload.toString("utf8")));
    await client.subscribeAsync("homeassistant/media_player/#");
    return discovery;
  }

  #onMessage(topic: string, payload: string): void {
    if (!topic.endsWith("/config") || payload.trim() === "") return;
    try {
      JSON.parse(payload);
    } catch {
      return;
    }
    const device = topic.split("/").at(-2) as string;
    if (!this.configured.has(device)) this.offered.push(device);
  }

  /** The user accepts what was offered: an entry, set up from the topic it was found on. */
  async accept(broker: BrokerConnection, device: string): Promise<HacsMediaPlayer> {
    this.configured.add(device);
    return HacsMediaPlayer.connect(broker, device, `homeassistant/media_player/${device}/config`);
  }

  async close(): Promise<void> {
    await this.#client.endAsync();
  }
}
