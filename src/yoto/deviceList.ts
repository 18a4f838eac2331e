import type {YotoDevice} from "./rest.js";
import {isDeviceId} from "./topics.js";

/**
 * One entry of `GET /device-v2/devices/mine` as the model needs it, or why it cannot be used.
 * Types and families we have not met (`v3e`, `minie`, a new generation) are kept as they come;
 * an id that could not be a topic part is refused, as its messages could never be subscribed to.
 */
export function usableDevice(listed: unknown): {device: YotoDevice} | {skipped: string} {
  const d = (typeof listed === "object" && listed !== null ? listed : {}) as Partial<Record<keyof YotoDevice, unknown>>;
  if (!isDeviceId(d.deviceId)) {
    // JSON and a length cap: the id goes into a log line as it came.
    const shown = JSON.stringify(d.deviceId ?? null).slice(0, 80);
    return {
      skipped: `Skipped a player in Yoto's device list: its id ${shown} is not 1 to 64 letters, digits, '-' or '_', so its messages could not be subscribed to`,
    };
  }
  return {
    device: {
      deviceId: d.deviceId,
      // An unnamed player is listed as "Yoto Player" (§10.14); an empty name could not be picked.
      name: text(d.name, "Yoto Player"),
      online: d.online === true,
      deviceType: text(d.deviceType, "unknown"),
      deviceFamily: text(d.deviceFamily, "unknown"),
    },
  };
}

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}
