/**
 * The service's options: names are the add-on's `config.yaml` option names (snake_case is the wire
 * format users type), descriptions live in translations/en.yaml. `Config` is derived from this.
 */
export const configSchema = {
  type: "object",
  additionalProperties: false,
  required: [
    "log_level",
    "mqtt_mode",
    "embedded_broker_port",
    "base_topic",
    "discovery_prefix",
    "media_dirs",
    "rules_dir",
    "data_dir",
    "audio_normalize",
    "audio_port",
    "ingress_port",
    "ssl",
    "certfile",
    "keyfile",
    "trusted_proxies",
    "allowed_hosts",
    "upload_max_mb",
    "history_days",
    "ha_media_players",
    "fetch_allow",
    "archive_nightly",
    "media_servers",
    "media_discovery",
    "media_server_cache_mb",
    "upnp",
    "upnp_port",
    "ssdp_port",
    "upnp_allow",
    "upnp_library",
  ],
  properties: {
    log_level: {enum: ["debug", "info", "warning", "error"]},
    public_url: {type: "string", pattern: "^https?://[^\\s/]+(/[^\\s]*)?$"},
    yoto_client_id: {type: "string", minLength: 1},
    mqtt_mode: {enum: ["auto", "embedded", "external"]},
    mqtt_url: {type: "string", pattern: "^(mqtts?|wss?|tcp)://"},
    mqtt_username: {type: "string"},
    mqtt_password: {type: "string"},
    embedded_broker_port: {type: "integer", minimum: 0, maximum: 65535},
    embedded_broker_username: {type: "string", minLength: 1},
    embedded_broker_password: {type: "string", minLength: 1},
    base_topic: {type: "string", pattern: "^[^#+\\s]+$"},
    discovery_prefix: {type: "string", pattern: "^[^#+\\s]+$"},
    media_dirs: {type: "array", items: {type: "string", minLength: 1}},
    rules_dir: {type: "string", minLength: 1},
    data_dir: {type: "string", minLength: 1},
    audio_normalize: {type: "boolean"},
    audio_port: {type: "integer", minimum: 0, maximum: 65535},
    ingress_port: {type: "integer", minimum: 0, maximum: 65535},
    ssl: {type: "boolean"},
    certfile: {type: "string", minLength: 1},
    keyfile: {type: "string", minLength: 1},
    api_token: {type: "string", minLength: 16},
    trusted_proxies: {type: "array", items: {type: "string", minLength: 1}},
    allowed_hosts: {type: "array", items: {type: "string", pattern: "^[^\\s/]+$"}},
    upload_max_mb: {type: "integer", minimum: 1, maximum: 10240},
    history_days: {type: "integer", minimum: 1, maximum: 3650},
    ha_media_players: {type: "boolean"},
    fetch_allow: {type: "array", items: {type: "string", minLength: 1}},
    archive_nightly: {type: "string", pattern: "^(([01][0-9]|2[0-3]):[0-5][0-9]|off)$"},
    media_servers: {type: "array", items: {type: "string", pattern: "^https?://[^\\s]+$"}},
    media_discovery: {type: "boolean"},
    media_server_cache_mb: {type: "integer", minimum: 1, maximum: 1048576},
    upnp: {type: "boolean"},
    upnp_port: {type: "integer", minimum: 0, maximum: 65535},
    ssdp_port: {type: "integer", minimum: 0, maximum: 65535},
    upnp_allow: {type: "array", items: {type: "string", minLength: 1}},
    upnp_library: {type: "boolean"},
    tts_engine: {type: "string", pattern: "^[a-z0-9_.-]{1,64}$"},
    tts_language: {type: "string", pattern: "^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$"},
  },
} as const;

export type OptionName = keyof typeof configSchema.properties;

export interface Config {
  log_level: "debug" | "info" | "warning" | "error";
  public_url?: string;
  yoto_client_id?: string;
  mqtt_mode: "auto" | "embedded" | "external";
  mqtt_url?: string;
  mqtt_username?: string;
  mqtt_password?: string;
  embedded_broker_port: number;
  embedded_broker_username?: string;
  embedded_broker_password?: string;
  base_topic: string;
  discovery_prefix: string;
  media_dirs: string[];
  rules_dir: string;
  /** Where state.sqlite, uploads and the URL-signing key live: `/data` in Home Assistant. */
  data_dir: string;
  audio_normalize: boolean;
  audio_port: number;
  ingress_port: number;
  ssl: boolean;
  certfile: string;
  keyfile: string;
  api_token?: string;
  /** Reverse proxies whose `X-Forwarded-For` the audio listener believes (for rate limiting). */
  trusted_proxies: string[];
  /**
   * Extra `Host` names the admin API answers outside ingress (a reverse proxy's or a DNS name), on top
   * of this machine's own names and `public_url`'s host.
   */
  allowed_hosts: string[];
  upload_max_mb: number;
  /** Listening sessions are kept this many days (today included), then deleted. */
  history_days: number;
  /**
   * Publish each player's config for the MQTT Media Player integration (HACS). Off, the configs are
   * cleared: Home Assistant's own discovery logs a warning for each (it has no MQTT media player).
   */
  ha_media_players: boolean;
  /**
   * Hosts, `host:port`s, addresses or CIDR ranges inside the home network that announcement media
   * and feeds may be fetched from (a NAS, a local podcast host); everything private is refused otherwise.
   */
  fetch_allow: string[];
  /** When the family's own cards are archived each night ("HH:MM", local time), or "off". */
  archive_nightly: string;
  /** Media servers (UPnP/DLNA) by the address of their description document, where discovery cannot find them. */
  media_servers: string[];
  /** Look for media servers on the home network (SSDP). */
  media_discovery: boolean;
  /** Room for media server tracks fetched to play (least recently used go first). */
  media_server_cache_mb: number;
  /** Serve each player as a UPnP/DLNA media renderer (Home Assistant's DLNA integration, Music Assistant). */
  upnp: boolean;
  /** The renderers' own listener (descriptions, control, events): home network only; 0 = any free port. */
  upnp_port: number;
  /** Where the renderers answer SSDP searches (1900 is what control points search); 0 = any free port. */
  ssdp_port: number;
  /**
   * Addresses or CIDR ranges, beyond loopback and the private, link-local and unique-local ranges,
   * that may control the renderers and subscribe to their events.
   */
  upnp_allow: string[];
  /** Serve the family's library (cards, streams, radio, podcasts, stories, media folders) as a UPnP/DLNA media server beside the renderers. */
  upnp_library: boolean;
  /** Announcements' speech: a Home Assistant `tts.*` entity, or piper/espeak-ng/flite; unset picks one. */
  tts_engine?: string;
  tts_language?: string;
}

/** Options whose values must never reach a log line. */
export const SECRET_OPTIONS: readonly OptionName[] = ["mqtt_password", "embedded_broker_password", "api_token"];

/** Running as a Home Assistant add-on changes where things live. */
export function defaultConfig(homeAssistant: boolean): Config {
  return {
    log_level: "info",
    mqtt_mode: "auto",
    embedded_broker_port: 1883,
    base_topic: "yoto",
    discovery_prefix: "homeassistant",
    media_dirs: homeAssistant ? ["/media/yoto"] : ["./media"],
    // Outside Home Assistant: <data_dir>/rules (loadConfig follows a moved data_dir).
    rules_dir: homeAssistant ? "/config/rules" : "./data/rules",
    data_dir: homeAssistant ? "/data" : "./data",
    audio_normalize: true,
    audio_port: 8080,
    ingress_port: 8099,
    ssl: false,
    certfile: "fullchain.pem",
    keyfile: "privkey.pem",
    trusted_proxies: [],
    allowed_hosts: [],
    upload_max_mb: 500,
    history_days: 365,
    ha_media_players: true,
    fetch_allow: [],
    archive_nightly: "03:30",
    media_servers: [],
    media_discovery: true,
    media_server_cache_mb: 2048,
    upnp: true,
    // Clear of what usually runs on a Home Assistant host (docs/configuration.md, "Ports and the home network").
    upnp_port: 8098,
    ssdp_port: 1900,
    upnp_allow: [],
    upnp_library: true,
  };
}
