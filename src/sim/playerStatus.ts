import {VOLUME_STEPS} from "./deviceConfig.js";
import type {Playing, VirtualPlayer} from "./player.js";

/** `data/status` (statusVersion 1) as the device reports it (reference §4.2). */
export function compactStatus(player: VirtualPlayer, p: Playing | undefined): Record<string, unknown> {
  return {
    statusVersion: 1,
    fwVersion: "v2.23.2",
    productType: player.spec.deviceType,
    batteryLevel: 87,
    als: player.spec.deviceFamily === "v3" ? 42 : 0,
    freeDisk: 29_000_000,
    shutdownTimeout: Number(player.config.shutdownTimeout),
    dbatTimeout: 8640,
    charging: 0,
    activeCard: p?.card.cardId ?? "none",
    cardInserted: p ? (p.source === "card" ? 1 : 2) : 0,
    playingStatus: p?.status === "playing" ? 1 : 0,
    headphones: 0,
    dnowBrightness: 100,
    dayBright: 255,
    nightBright: 255,
    bluetoothHp: 0,
    volume: Math.round((player.volumeMax / VOLUME_STEPS) * 100),
    userVolume: Math.round((player.volume / VOLUME_STEPS) * 100),
    timeFormat: player.config.hourFormat,
    nightlightMode: player.nightlight,
    temp: player.spec.deviceFamily === "v3" ? "24:18" : "0:0:0",
    day: 1,
  };
}

/** `status/full` and the legacy `status` (statusVersion 3), a superset (reference §4.3). */
export function fullStatus(player: VirtualPlayer, p: Playing | undefined): Record<string, unknown> {
  return {
    ...compactStatus(player, p),
    statusVersion: 3,
    shutDown: "nA",
    wifiStrength: -52,
    ssid: "family-wifi",
    battery: 4116,
    batteryLevelRaw: 87,
    powerSrc: 0,
    upTime: 3600,
    utcTime: Math.floor(Date.now() / 1000),
    utcOffset: 0,
  };
}
