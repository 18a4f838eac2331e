import type {PlayerState} from "../yoto/playerModel.js";

export interface CardSummary {
  title?: string;
  image?: string;
}

/**
 * The retained `<base>/<id>` JSON: flat snake_case fields that discovery templates read, and that
 * people read in MQTT Explorer. `null` rather than missing, so templates never fail on a key.
 */
export function playerStateJson(p: PlayerState, card?: CardSummary): Record<string, unknown> {
  const pb = p.playback;
  return {
    id: p.id,
    name: p.name,
    model: p.type,
    online: p.online,
    playback: pb.status,
    card_id: pb.cardId,
    card_title: pb.cardId ? (card?.title ?? null) : null,
    card_image: pb.cardId ? (card?.image ?? null) : null,
    chapter_key: pb.chapterKey ?? null,
    chapter_title: pb.chapterTitle ?? null,
    track_key: pb.trackKey ?? null,
    track_title: pb.trackTitle ?? null,
    position: pb.position ?? null,
    track_length: pb.trackLength ?? null,
    source: pb.source ?? null,
    streaming: pb.streaming ?? null,
    volume: p.volume.level ?? null,
    volume_max: p.volume.max ?? null,
    volume_percent: p.volume.percent ?? null,
    sleep_timer_active: p.sleepTimer.active,
    sleep_timer_seconds: p.sleepTimer.secondsRemaining ?? 0,
    battery: p.battery ?? null,
    charging: p.charging ?? null,
    power_source: p.powerSource ?? null,
    temperature: p.temperature ?? null,
    battery_temperature: p.batteryTemperature ?? null,
    ambient_light: p.ambientLight ?? null,
    wifi: p.wifiDbm ?? null,
    nightlight: p.nightlight ?? null,
    day_mode: p.dayMode ?? null,
    headphones: p.headphones ?? null,
    firmware: p.firmware ?? null,
    last_seen: p.lastSeen ?? null,
  };
}
