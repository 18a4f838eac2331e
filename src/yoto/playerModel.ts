import type {Playback, PlayerState, PowerSource} from "../shared/api/players.js";
import {roomTemperature, toBool, toCelsius, toId, toNumber, toText, unwrapStatus} from "./coerce.js";
import type {YotoDevice} from "./rest.js";

export type {Playback, PlayerState, PowerSource};

export const VOLUME_STEPS = 16;
/** Percent values the firmware's 17 volume steps map to (reference §3.3). */
export const VOLUME_PERCENTS = [0, 7, 13, 19, 25, 32, 38, 44, 50, 57, 63, 69, 75, 82, 88, 94, 100];

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
/** `powerSrc` 0–3 as documented (reference §6.1); the index is the wire value. */
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
  if (cardId) playback.lastCardId = cardId;
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
  return {
    ...player,
    online: true,
    // Unchanged parts stay the same objects: who compares states (every event) settles them by reference.
    playback: sameOrNew(player.playback, playback),
    volume: sameOrNew(player.volume, volume),
    sleepTimer: sameOrNew(player.sleepTimer, sleepTimer),
    lastSeen: at.toISOString(),
  };
}

/** `before` when `after` has the same fields with the same (primitive) values, else `after`. */
function sameOrNew<T extends object>(before: T, after: T): T {
  const keys = Object.keys(after);
  if (keys.length !== Object.keys(before).length) return after;
  for (const key of keys) if (before[key as keyof T] !== after[key as keyof T]) return after;
  return before;
}

/** Merge `data/status`, `status/full` or the legacy `status` (wrapped or flat; full or partial). */
export function applyStatus(player: PlayerState, raw: unknown, at = new Date()): PlayerState {
  const s = unwrapStatus(raw);
  // Only a player that is up publishes, as with events; "nA" says so outright (it also comes
  // right after power-on, §10.2), any other `shutDown` is the reason it is going down.
  const shutDown = toText(s.shutDown);
  return {...readStatus(player, s), online: !shutDown || shutDown === "nA", lastSeen: at.toISOString()};
}

/** The readings every status shape shares; online and lastSeen are the caller's to decide. */
function readStatus(player: PlayerState, s: Record<string, unknown>): PlayerState {
  const next: PlayerState = {...player};
  setIfDefined(next, "battery", toNumber(s.batteryLevel));
  setIfDefined(next, "charging", toBool(s.charging));
  setIfDefined(next, "ambientLight", toNumber(s.als));
  setIfDefined(next, "wifiDbm", toNumber(s.wifiStrength));
  setIfDefined(next, "headphones", toBool(s.headphones));
  setIfDefined(next, "bluetoothAudio", toBool(s.bluetoothHp));
  setIfDefined(next, "firmware", toText(s.fwVersion));
  setOrForget(next, "cardInsertion", cardInsertion(s.cardInserted));
  setIfDefined(next, "nightlight", toText(s.nightlightMode));
  setIfDefined(next, "powerSource", powerSource(s.powerSrc));
  const day = toNumber(s.day);
  if (day === 1 || day === 0) next.dayMode = day === 1 ? "day" : "night";
  setOrForget(next, "temperature", roomTemperature(s.temp));
  setOrForget(next, "batteryTemperature", toCelsius(s.batteryTemp));
  next.playback = playbackFromStatus(next.playback, s);
  const userVolume = toNumber(s.userVolume);
  if (userVolume !== undefined && next.volume.level === undefined) {
    const level = clampLevel(Math.round((userVolume / 100) * VOLUME_STEPS));
    next.volume = {...next.volume, level, percent: levelPercent(level)};
  }
  return next;
}

/**
 * Status says little about playback, but "no card in the slot and none active" is certain: the
 * player is stopped, whatever the events said before (a stop event can be missed, §10.3). An
 * active card only fills in a card we knew nothing about.
 */
function playbackFromStatus(playback: Playback, s: Record<string, unknown>): Playback {
  const activeCard = toId(s.activeCard);
  if (activeCard === null && toNumber(s.cardInserted) === 0) return {...playback, status: "stopped", cardId: null};
  if (activeCard !== undefined && playback.status === "unknown") return {...playback, cardId: activeCard};
  return playback;
}

/** Status `cardInserted` 0–3 (reference §4.2): what holds the player's card slot, by wire value. */
export const CARD_INSERTIONS = ["none", "physical", "remote", "streaming"] as const;

/**
 * `cardInserted` 0 none, 1 physical, 2 remote, 3 streaming (Yoto Radio). Another value is not
 * guessed at: it forgets the last one (`null`), which would be stale; absent or null keeps it.
 */
function cardInsertion(value: unknown): PlayerState["cardInsertion"] | null | undefined {
  if (value === undefined || value === null) return undefined;
  const n = toNumber(value);
  return (n !== undefined && Number.isInteger(n) && CARD_INSERTIONS[n]) || null;
}

/** A number we do not know is kept as "unknown" rather than dropped or trusted. */
function powerSource(value: unknown): PowerSource | undefined {
  if (typeof value !== "number" && typeof value !== "string") return undefined;
  const n = toNumber(value);
  return (n !== undefined && Number.isInteger(n) && POWER_SOURCES[n]) || "unknown";
}

/**
 * The device shadow from `GET /device-v2/{id}/config` (`device.status`): what the player last
 * reported, kept by the cloud while it is offline (§10.11). It only fills what the live model
 * does not know yet (a live message is always newer), never says the player is online, and its
 * `null`s (never reported) change nothing.
 */
export function applyShadow(player: PlayerState, raw: unknown): PlayerState {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return player;
  const s = raw as Record<string, unknown>;
  const shadow = readStatus(player, s);
  const next: PlayerState = {...player};
  for (const key of SHADOW_FIELDS) if (next[key] === undefined) setIfDefined(next, key, shadow[key]);
  const knowsPlayback = player.playback.status !== "unknown" || player.playback.cardId !== null;
  if (!knowsPlayback) next.playback = shadow.playback;
  const updatedAt = toText(s.updatedAt);
  if (next.lastSeen === undefined && updatedAt && !Number.isNaN(Date.parse(updatedAt)))
    next.lastSeen = new Date(updatedAt).toISOString();
  return next;
}

const SHADOW_FIELDS = [
  "battery",
  "charging",
  "powerSource",
  "temperature",
  "batteryTemperature",
  "ambientLight",
  "wifiDbm",
  "nightlight",
  "dayMode",
  "headphones",
  "bluetoothAudio",
  "firmware",
  "cardInsertion",
] as const satisfies ReadonlyArray<keyof PlayerState>;

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
/** The percent Yoto's own app shows for a step, so HA, rules and the panel agree with it. */
function levelPercent(level: number): number {
  return VOLUME_PERCENTS[level] ?? Math.round((level / VOLUME_STEPS) * 100);
}

function clampLevel(level: number): number {
  return Math.max(0, Math.min(VOLUME_STEPS, Math.round(level)));
}

function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** `null` is the player saying it has no such reading: forget an old one rather than show it. */
function setOrForget<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null | undefined): void {
  if (value === null) delete target[key];
  else setIfDefined(target, key, value);
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
