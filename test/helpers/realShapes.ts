/**
 * The shapes of real Yoto traffic (reference §4 and §10), written from captured payloads in
 * public issue threads and client repositories: for each kind of message, the keys it always
 * carries, the keys it may carry, and each key's type or value domain. The simulator is checked
 * against these, so a test that passes against it passes against something shaped like Yoto.
 */
export type Check = "string" | "number" | "boolean" | "null" | RegExp | ((v: unknown) => boolean);
export interface Shape {
  required: Record<string, Check | Check[]>;
  optional?: Record<string, Check | Check[]>;
  /** Keys outside required/optional are a mismatch (real messages have a known set). */
  closed?: boolean;
}

const int = (v: unknown) => Number.isInteger(v);
const epochSeconds = (v: unknown) => Number.isInteger(v) && (v as number) > 1.6e9 && (v as number) < 4e9;
const cardId = /^(none|[A-Za-z0-9]{5})$/;
const level = (v: unknown) => int(v) && (v as number) >= 0 && (v as number) <= 16;

const EVENT_KEYS: Record<string, Check | Check[]> = {
  repeatAll: "boolean",
  volume: level,
  volumeMax: level,
  cardId,
  playbackStatus: /^(playing|paused|stopped)$/,
  streaming: "boolean",
  playbackWait: "boolean",
  sleepTimerActive: "boolean",
  sleepTimerSeconds: (v) => int(v) && (v as number) > 0,
  source: /^(card|remote|MQTT)$/,
  chapterKey: "string",
  chapterTitle: "string",
  trackKey: "string",
  trackTitle: "string",
  trackLength: int,
  position: int,
  cardUpdatedAt: "string",
  eventUtc: epochSeconds,
};

/** What every full snapshot holds, playing or not. */
const SNAPSHOT_KEYS = [
  "repeatAll",
  "volume",
  "volumeMax",
  "cardId",
  "playbackStatus",
  "streaming",
  "playbackWait",
  "sleepTimerActive",
];

/** A playing player's snapshot, about every 5 s (§10.5). */
export const EVENTS_PLAYING: Shape = {
  required: pick(EVENT_KEYS, [
    ...SNAPSHOT_KEYS,
    "source",
    "chapterKey",
    "chapterTitle",
    "trackKey",
    "trackTitle",
    "trackLength",
    "position",
    "eventUtc",
  ]),
  optional: pick(EVENT_KEYS, ["sleepTimerSeconds", "cardUpdatedAt"]),
  closed: true,
};

/** The idle snapshot after events/request: no chapter, track or timer seconds. */
export const EVENTS_IDLE: Shape = {
  required: pick(EVENT_KEYS, [...SNAPSHOT_KEYS, "eventUtc"]),
  closed: true,
};

/** A knob turn: only the volume, its cap and the time. */
export const EVENTS_VOLUME: Shape = {required: pick(EVENT_KEYS, ["volume", "volumeMax", "eventUtc"]), closed: true};

/** A sleep timer set: active, its seconds while it runs, and the time. */
export const EVENTS_SLEEP: Shape = {
  required: pick(EVENT_KEYS, ["sleepTimerActive", "eventUtc"]),
  optional: pick(EVENT_KEYS, ["sleepTimerSeconds"]),
  closed: true,
};

const STATUS_KEYS: Record<string, Check | Check[]> = {
  statusVersion: int,
  fwVersion: /^v\d+\.\d+\.\d+/,
  productType: "string",
  batteryLevel: int,
  als: int,
  freeDisk: int,
  shutdownTimeout: int,
  dbatTimeout: int,
  charging: [int, "boolean"],
  activeCard: cardId,
  cardInserted: (v) => [0, 1, 2, 3].includes(v as number),
  playingStatus: int,
  headphones: [int, "boolean"],
  dnowBrightness: int,
  dayBright: int,
  nightBright: int,
  bluetoothHp: [int, "boolean"],
  volume: int,
  userVolume: int,
  timeFormat: /^(12|24)$/,
  nightlightMode: /^(off|0x[0-9a-f]{6})$/,
  // "<battery>:<room>"; the first part is 0 on real v3 players, a Mini says "0:0:0".
  temp: [/^0:\d{1,2}$/, /^0:0:0$/, /^notSupported$/],
  day: (v) => [-1, 0, 1].includes(v as number),
};

/** data/status (statusVersion 1), answering status/request. */
export const DATA_STATUS: Shape = {required: STATUS_KEYS, closed: true};

/** The unsolicited data/status every ~5 min: without nightlightMode and temp. */
export const DATA_STATUS_PERIODIC: Shape = {
  required: omit(STATUS_KEYS, ["nightlightMode", "temp"]),
  closed: true,
};

const DIAGNOSTICS: Record<string, Check | Check[]> = {
  shutDown: /^(nA|userShutdown|dbatShutdown|idleShutdown|[A-Za-z]+)$/,
  totalDisk: int,
  wifiStrength: (v) => int(v) && (v as number) < 0,
  ssid: "string",
  battery: int,
  batteryLevelRaw: int,
  batteryTemp: int,
  batteryProfile: "string",
  batteryData: /^\d+:\d+:\d+$/,
  batteryFullPct: int,
  batteryRemaining: int,
  powerSrc: int,
  powerCaps: [/^0x[0-9a-f]{2}$/, /^$/, "null"],
  chgStatLevel: int,
  upTime: int,
  aliveTime: int,
  utcTime: (v) => v === 0 || epochSeconds(v),
  utcOffset: int,
  bgDownload: int,
  bytesPS: int,
  accelTemp: int,
  free: int,
  freeDMA: int,
  free32: int,
  sd_info: int,
  nfcErrs: "string",
  nfcLock: int,
  qiOtp: int,
  buzzErrors: int,
  errorsLogged: int,
  wifiRestarts: int,
  twdt: int,
  missedLogs: int,
  failReason: "string",
  failData: "string",
};

/** status/full and the legacy status at power-up/shutdown (statusVersion 3). */
export const FULL_STATUS: Shape = {
  required: {...STATUS_KEYS, ...DIAGNOSTICS},
  optional: {requestId: ["string", "null"]},
  closed: true,
};

/** The ~5-minute legacy status partial. */
export const LEGACY_STATUS_PARTIAL: Shape = {
  required: pick({...STATUS_KEYS, ...DIAGNOSTICS}, [
    "battery",
    "batteryLevel",
    "batteryLevelRaw",
    "batteryTemp",
    "als",
    "nightlightMode",
    "upTime",
    "utcTime",
    "free",
    "freeDMA",
    "free32",
  ]),
  closed: true,
};

export const PRESENCE: Shape = {
  required: {state: /^(online|offline)$/, ts: (v) => int(v) && (v as number) > 1.6e12},
  closed: true,
};

export const ERROR_BODY: Shape = {
  required: {error: (v) => matches(v, {required: {code: /^[a-z-]+$/, message: "string"}, closed: true}).length === 0},
  closed: true,
};

/** Every mismatch between a value and a shape, as readable lines (empty when it fits). */
export function matches(value: unknown, shape: Shape): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["not a JSON object"];
  const v = value as Record<string, unknown>;
  const out: string[] = [];
  for (const [key, check] of Object.entries(shape.required))
    if (!Object.hasOwn(v, key)) out.push(`missing '${key}'`);
    else if (!fits(v[key], check)) out.push(`'${key}' = ${JSON.stringify(v[key])} is not as real players send it`);
  for (const [key, check] of Object.entries(shape.optional ?? {}))
    if (Object.hasOwn(v, key) && !fits(v[key], check))
      out.push(`'${key}' = ${JSON.stringify(v[key])} is not as real players send it`);
  if (shape.closed)
    for (const key of Object.keys(v))
      if (!Object.hasOwn(shape.required, key) && !Object.hasOwn(shape.optional ?? {}, key))
        out.push(`'${key}' is not in real traffic`);
  return out;
}

function fits(value: unknown, check: Check | Check[]): boolean {
  const checks = Array.isArray(check) ? check : [check];
  return checks.some((c) => {
    if (c === "null") return value === null;
    if (typeof c === "string") return typeof value === c;
    if (c instanceof RegExp) return typeof value === "string" && c.test(value);
    return c(value);
  });
}

function pick(from: Record<string, Check | Check[]>, keys: string[]): Record<string, Check | Check[]> {
  return Object.fromEntries(keys.map((k) => [k, from[k] as Check | Check[]]));
}

function omit(from: Record<string, Check | Check[]>, keys: string[]): Record<string, Check | Check[]> {
  return Object.fromEntries(Object.entries(from).filter(([k]) => !keys.includes(k)));
}
