/** Every local MQTT topic the bridge uses, from one base topic and one discovery prefix (docs/home-assistant-mqtt.md, "MQTT and Home Assistant entities"). */
export class BridgeTopics {
  constructor(
    readonly base: string,
    readonly prefix: string,
  ) {}

  /** For ids: `yoto` → `yoto`, `home/yoto` → `home_yoto`; unique ids carry it so two instances coexist. */
  get slug(): string {
    return this.base.replace(/[^A-Za-z0-9_-]/g, "_");
  }

  get bridgeState(): string {
    return `${this.base}/bridge/state`;
  }

  bridge(name: "info" | "players" | "streams" | "rules" | "event"): string {
    return `${this.base}/bridge/${name}`;
  }

  request(path: string): string {
    return `${this.base}/bridge/request/${path}`;
  }

  response(path: string): string {
    return `${this.base}/bridge/response/${path}`;
  }

  player(id: string, suffix?: "availability" | "set" | "event" | "card" | "card_image"): string {
    return suffix ? `${this.base}/${id}/${suffix}` : `${this.base}/${id}`;
  }

  get haStatus(): string {
    return `${this.prefix}/status`;
  }

  discovery(objectId: string): string {
    return `${this.prefix}/device/${objectId}/config`;
  }

  playerObjectId(id: string): string {
    return `yoto_${id}_${this.slug}`;
  }

  get bridgeObjectId(): string {
    return `yoto_bridge_${this.slug}`;
  }

  /** What the bridge listens to. */
  get subscriptions(): string[] {
    return [`${this.base}/+/set`, `${this.base}/+/set/+`, `${this.base}/bridge/request/#`, this.haStatus];
  }

  /** `<base>/<id>/set[/<attr>]` → who and what; `bridge` is never a player. */
  parseSet(topic: string): {player: string; attribute?: string} | undefined {
    if (!topic.startsWith(`${this.base}/`)) return undefined;
    const parts = topic.slice(this.base.length + 1).split("/");
    if (parts[0] === "bridge" || parts[1] !== "set" || parts.length > 3 || !parts[0]) return undefined;
    return {player: parts[0], attribute: parts[2]};
  }

  parseRequest(topic: string): string | undefined {
    const prefix = `${this.base}/bridge/request/`;
    return topic.startsWith(prefix) ? topic.slice(prefix.length) : undefined;
  }
}
