import {VOLUME_STEPS} from "./deviceConfig.js";
import type {VirtualPlayer} from "./player.js";
import type {Playing} from "./playerPlayback.js";

/*
 * Status as real players report it (reference §4.2–§4.3, §10.1, §10.5, §10.6, §10.14). Values are
 * the simulator's own; the keys, types and value domains follow captured traffic:
 * - `temp` is "<battery>:<room>" with the first part 0 on every real v3 sample ("0:24"); a Mini
 *   has no sensor and says "0:0:0"; the battery's own temperature is `batteryTemp` (0 = none);
 * - status `volume` follows the user volume, not the max-volume cap;
 * - `powerCaps` is a hex string, or "" on a Mini.
 */
function hasSensors(player: VirtualPlayer): boolean {
  return player.spec.deviceFamily === "v3";
}

/** The config's "auto" or "0"–"100" as status reports it: 255 stands for auto (node-client). */
function brightness(value: unknown): number {
  const n = Number(value);
  return value === "auto" || !Number.isInteger(n) ? 255 : n;
}

function userPercent(player: VirtualPlayer): number {
  return Math.round((player.volume / VOLUME_STEPS) * 100);
}

/** `data/status` (statusVersion 1) as the device answers status/request. */
export function compactStatus(player: VirtualPlayer, p: Playing | undefined): Record<string, unknown> {
  return {
    ...periodicCompactStatus(player, p),
    nightlightMode: player.nightlight,
    temp: hasSensors(player) ? "0:24" : "0:0:0",
  };
}

/** The unsolicited `data/status` every ~5 min: as the answer, without `nightlightMode` and `temp`. */
export function periodicCompactStatus(player: VirtualPlayer, p: Playing | undefined): Record<string, unknown> {
  return {
    statusVersion: 1,
    fwVersion: "v2.23.2",
    productType: player.spec.deviceType,
    batteryLevel: 87,
    als: hasSensors(player) ? 42 : 0,
    freeDisk: 29_000_000,
    shutdownTimeout: Number(player.config.shutdownTimeout),
    dbatTimeout: 8640,
    charging: 0,
    activeCard: p?.card.cardId ?? "none",
    cardInserted: p ? (p.source === "card" ? 1 : 2) : 0,
    playingStatus: p?.status === "playing" ? 1 : 0,
    headphones: 0,
    dnowBrightness: 100,
    dayBright: brightness(player.config.dayDisplayBrightness),
    nightBright: brightness(player.config.nightDisplayBrightness),
    bluetoothHp: 0,
    volume: userPercent(player),
    userVolume: userPercent(player),
    timeFormat: player.config.hourFormat,
    day: player.isDay ? 1 : 0,
  };
}

/** `status/full` and the legacy `status` (statusVersion 3): the compact fields and the diagnostics. */
export function fullStatus(player: VirtualPlayer, p: Playing | undefined): Record<string, unknown> {
  const mini = player.spec.deviceFamily === "mini";
  return {
    ...compactStatus(player, p),
    statusVersion: 3,
    shutDown: "nA",
    totalDisk: 31_385_600,
    wifiStrength: -52,
    ssid: "family-wifi",
    battery: 4116,
    batteryLevelRaw: 87,
    batteryTemp: hasSensors(player) ? 26 : 0,
    batteryProfile: mini ? "MINI-1200" : "HPT-FD80X-2000-64",
    batteryData: hasSensors(player) ? "412:7:0" : "0:0:0",
    batteryFullPct: 100,
    batteryRemaining: 0,
    powerSrc: 0,
    powerCaps: mini ? "" : "0x02",
    chgStatLevel: 0,
    upTime: 3600,
    aliveTime: 3600,
    utcTime: Math.floor(Date.now() / 1000),
    utcOffset: 0,
    bgDownload: 0,
    bytesPS: 0,
    accelTemp: hasSensors(player) ? 25 : 0,
    free: 61_440,
    freeDMA: 40_960,
    free32: 102_400,
    sd_info: 0,
    nfcErrs: "n/a",
    nfcLock: 0,
    qiOtp: 0,
    buzzErrors: 0,
    errorsLogged: 0,
    wifiRestarts: 0,
    twdt: 0,
    missedLogs: 0,
    failReason: "",
    failData: "",
  };
}

/** The small legacy `status` partial every ~5 min: battery, temperatures, light, uptime, memory. */
export function legacyStatusPartial(player: VirtualPlayer): Record<string, unknown> {
  return {
    battery: 4110,
    batteryLevel: 87,
    batteryLevelRaw: 87,
    batteryTemp: hasSensors(player) ? 26 : 0,
    als: hasSensors(player) ? 42 : 0,
    nightlightMode: player.nightlight,
    upTime: 3900,
    utcTime: Math.floor(Date.now() / 1000),
    free: 61_000,
    freeDMA: 40_500,
    free32: 102_000,
  };
}
