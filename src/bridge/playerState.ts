import type {PlayerState} from "../yoto/playerModel.js";
import type {PlayerSettings} from "../yoto/settings.js";
import {lightView} from "./lightPayload.js";

export interface CardSummary {
  title?: string;
  image?: string;
}

/**
 * The retained `<base>/<id>` JSON: flat snake_case fields that discovery templates read, and that
 * people read in MQTT Explorer. `null` rather than missing, so templates never fail on a key.
 */
export function playerStateJson(
  p: PlayerState,
  card?: CardSummary,
  cardOption?: string | null,
): Record<string, unknown> {
  const pb = p.playback;
  // The player keeps the last chapter and track after the card is out; without a card, none is playing.
  const onCard = pb.cardId !== null;
  return {
    id: p.id,
    name: p.name,
    model: p.type,
    online: p.online,
    // "unknown" is Home Assistant's own state: a status we do not know is sent as null.
    playback: pb.status === "unknown" ? null : pb.status,
    card_id: pb.cardId,
    card_title: pb.cardId ? (card?.title ?? null) : null,
    card_image: pb.cardId ? (card?.image ?? null) : null,
    card_option: cardOption ?? null,
    chapter_key: onCard ? (pb.chapterKey ?? null) : null,
    chapter_title: onCard ? (pb.chapterTitle ?? null) : null,
    track_key: onCard ? (pb.trackKey ?? null) : null,
    track_title: onCard ? (pb.trackTitle ?? null) : null,
    position: onCard ? (pb.position ?? null) : null,
    track_length: onCard ? (pb.trackLength ?? null) : null,
    source: pb.source ?? null,
    streaming: pb.streaming ?? null,
    volume: p.volume.level ?? null,
    volume_max: p.volume.max ?? null,
    volume_percent: p.volume.percent ?? null,
    // 0–1, as Home Assistant's media players count volume (the universal media player reads it).
    volume_level: p.volume.level !== undefined ? Math.round((p.volume.level / 16) * 1000) / 1000 : null,
    sleep_timer_active: p.sleepTimer.active,
    sleep_timer_seconds: p.sleepTimer.secondsRemaining ?? 0,
    sleep_at_track_end: sleepsAtTrackEnd(p),
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
    bluetooth_audio: p.bluetoothAudio ?? null,
    card_insertion: p.cardInsertion ?? null,
    firmware: p.firmware ?? null,
    last_seen: p.lastSeen ?? null,
    lights: {
      night_light: lightView(p.nightlight),
      day_colour: lightView(p.settings?.dayColour),
      night_colour: lightView(p.settings?.nightColour),
    },
    settings: settingsJson(p.settings),
  };
}

/** Every key always there (null when unknown), so templates never meet a missing one. */
function settingsJson(s: PlayerSettings | undefined): Record<string, unknown> {
  return {
    day_colour: s?.dayColour ?? null,
    night_colour: s?.nightColour ?? null,
    day_max_volume: s?.dayMaxVolume ?? null,
    night_max_volume: s?.nightMaxVolume ?? null,
    day_brightness: s?.dayBrightness ?? null,
    night_brightness: s?.nightBrightness ?? null,
    day_time: s?.dayTime ?? null,
    night_time: s?.nightTime ?? null,
    bluetooth: s?.bluetooth ?? null,
    headphones_volume_limited: s?.headphonesLimited ?? null,
    // Keyed by the alarm's number as people count ("1" is the first), as the switches are named.
    alarms: Object.fromEntries(
      (s?.alarms ?? []).map((a) => [String(a.index + 1), {days: a.days, time: a.time, enabled: a.enabled}]),
    ),
  };
}

/**
 * A sleep timer set to the end of the track, give or take the ~5 s between the player's
 * position reports (how the end-of-track switch is set: commandWire secondsToTrackEnd).
 */
function sleepsAtTrackEnd(p: PlayerState): boolean {
  const {trackLength, position, status} = p.playback;
  const left = p.sleepTimer.secondsRemaining;
  if (!p.sleepTimer.active || left === undefined || trackLength === undefined || position === undefined) return false;
  return status === "playing" && Math.abs(left - (trackLength - position)) <= 10;
}
