import {toBool, toId, toNumber, toTemperature, toText, unwrapStatus} from "./coerce.js";
import type {YotoDevice} from "./rest.js";

export const VOLUME_STEPS = 16;
/** Percent values the firmware's 17 volume steps map to (reference §3.3). */
export const VOLUME_PERCENTS = [0, 7, 13, 19, 25, 32, 38, 44, 50, 57, 63, 69, 75, 82, 88, 94, 100];

export interface Playback {
  status: "playing" | "paused" | "stopped" | "loading" | "unknown";
  cardId: string | null;
  chapterKey?: string;
  chapterTitle?: string;
  trackKey?: string;
  trackTitle?: string;
  /** Seconds. */
  position?: number;
  trackLength?: number;
  source?: string;
  streaming?: boolean;
}

/** One player, normalised: what Home Assistant, rules and the panel see. */
export interface PlayerState {
  id: string;
  name: string;
  family: string;
  type: string;
  online: boolean;
  playback: Playback;
  volume: {level?: number; max?: number; percent?: number};
  sleepTimer: {active: boolean; secondsRemaining?: number};
  battery?: number;
  charging?: boolean;
  powerSource?: "battery" | "dock" | "usb-c" | "qi";
  temperature?: number;
  batteryTemperature?: number;
  ambientLight?: number;
  wifiDbm?: number;
  nightlight?: string;
  dayMode?: "day" | "night";
  headphones?: boolean;
  firmware?: string;
  lastSeen?: string;
}

export function newPlayer(
  device: Pick<YotoDevice, "deviceId" | "name" | "deviceFamily" | "deviceType" | "online">,
): PlayerState {
  return {
    id: device.deviceId,
    name: device.name,
    family: device.deviceFamily,
    type: device.deviceType,
    online: device.online,
    playback: {status: "unknown", cardId: null},
    volume: {},
    sleepTimer: {active: false},
  };
}

const PLAYBACK_STATUSES = new Set(["playing", "paused", "stopped", "loading"]);
const POWER_SOURCES = ["battery", "dock", "usb-c", "qi"] as const;

/**
 * Merge a (partial) `data/events` message: only fields present change. On stop the device sends
 * cardId "none" but keeps chapter/track as they were, and so does the model.
 */
export function applyEvents(player: PlayerState, raw: unknown, at = new Date()): PlayerState {
  if (typeof raw !== "object" || raw === null) return player;
  const e = raw as Record<string, unknown>;
  const playback = {...player.playback};
  const status = toText(e.playbackStatus);
  if (status !== undefined)
    playback.status = PLAYBACK_STATUSES.has(status) ? (status as Playback["status"]) : "unknown";
  const cardId = toId(e.cardId);
  if (cardId !== undefined) playback.cardId = cardId;
  setIfDefined(playback, "chapterKey", toText(e.chapterKey));
  setIfDefined(playback, "chapterTitle", toText(e.chapterTitle));
  setIfDefined(playback, "trackKey", toText(e.trackKey));
  setIfDefined(playback, "trackTitle", toText(e.trackTitle));
  setIfDefined(playback, "position", toNumber(e.position));
  setIfDefined(playback, "trackLength", toNumber(e.trackLength));
  setIfDefined(playback, "source", toText(e.source));
  setIfDefined(playback, "streaming", toBool(e.streaming));

  const volume = {...player.volume};
  const level = toNumber(e.volume);
  const max = toNumber(e.volumeMax);
  if (level !== undefined) volume.level = clampLevel(level);
  if (max !== undefined) volume.max = clampLevel(max);
  if (volume.level !== undefined) volume.percent = levelPercent(volume.level);

  const sleepTimer = {...player.sleepTimer};
  const active = toBool(e.sleepTimerActive);
  if (active !== undefined) sleepTimer.active = active;
  setIfDefined(sleepTimer, "secondsRemaining", toNumber(e.sleepTimerSeconds));
  return {...player, online: true, playback, volume, sleepTimer, lastSeen: at.toISOString()};
}

/** Merge `data/status`, `status/full` or the legacy `status` (wrapped or flat). */
export function applyStatus(player: PlayerState, raw: unknown, at = new Date()): PlayerState {
  const s = unwrapStatus(raw);
  const next: PlayerState = {...player, lastSeen: at.toISOString()};
  setIfDefined(next, "battery", toNumber(s.batteryLevel));
  setIfDefined(next, "charging", toBool(s.charging));
  setIfDefined(next, "ambientLight", toNumber(s.als));
  setIfDefined(next, "wifiDbm", toNumber(s.wifiStrength));
  setIfDefined(next, "headphones", toBool(s.headphones));
  setIfDefined(next, "firmware", toText(s.fwVersion));
  const nightlight = toText(s.nightlightMode);
  if (nightlight !== undefined) next.nightlight = nightlight;
  const day = toNumber(s.day);
  if (day === 1 || day === 0) next.dayMode = day === 1 ? "day" : "night";
  const power = toNumber(s.powerSrc);
  if (power !== undefined && POWER_SOURCES[power]) next.powerSource = POWER_SOURCES[power];
  // "battery:device" on v3 ("24:18"); the device part is the room temperature (reference §4.3).
  const parts = toText(s.temp)?.split(":");
  if (parts && parts.length >= 2) {
    setIfDefined(next, "batteryTemperature", toTemperature(parts[0]));
    setIfDefined(next, "temperature", toTemperature(parts[1]));
  }
  if (s.shutDown !== undefined && toText(s.shutDown) !== "nA") next.online = false;
  const activeCard = toId(s.activeCard);
  if (activeCard !== undefined && next.playback.status === "unknown")
    next.playback = {...next.playback, cardId: activeCard};
  const userVolume = toNumber(s.userVolume);
  if (userVolume !== undefined && next.volume.level === undefined) {
    const level = clampLevel(Math.round((userVolume / 100) * VOLUME_STEPS));
    next.volume = {...next.volume, level, percent: levelPercent(level)};
  }
  return next;
}

/** `presence`: the broker's retained online/offline, with an LWT when the device drops. */
export function applyPresence(player: PlayerState, raw: unknown, at = new Date()): PlayerState {
  const state = toText((raw as {state?: unknown} | null)?.state);
  if (state !== "online" && state !== "offline") return player;
  return {...player, online: state === "online", ...(state === "online" ? {lastSeen: at.toISOString()} : {})};
}

/** Percent → the percent of the nearest hardware step, never above the current cap. */
export function snapVolumePercent(percent: number, maxLevel = VOLUME_STEPS): number {
  const level = Math.min(clampLevel(Math.round((percent / 100) * VOLUME_STEPS)), maxLevel);
  return VOLUME_PERCENTS[level] as number;
}

/** The percent a level stands for; with the events' 0–16 level this matches what status reports. */
function levelPercent(level: number): number {
  return Math.round((level / VOLUME_STEPS) * 100);
}

function clampLevel(level: number): number {
  return Math.max(0, Math.min(VOLUME_STEPS, Math.round(level)));
}

function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * Cards physically put in or taken out between two states. Only a card in the slot counts: one
 * started from an app or a rule is no insertion (and reacting to it could loop).
 */
export function cardMoves(previous: PlayerState, player: PlayerState): {removed?: string; inserted?: string} {
  const before = previous.playback.cardId;
  const now = player.playback.cardId;
  if (before === now) return {};
  return {
    ...(before && previous.playback.source === "card" ? {removed: before} : {}),
    ...(now && player.playback.source === "card" ? {inserted: now} : {}),
  };
}
