/** Hardware volume steps on every family (reference §6.1). */
export const VOLUME_STEPS = 16;

/** A player's settings block: mostly strings, as the real API keeps them (reference §2.2). */
export type SimConfig = Record<string, string | boolean | string[]>;

/**
 * What the firmware falls back to for keys a PUT leaves out: the real PUT replaces the whole
 * block, so a client that does not read-merge-write resets the user's settings.
 */
export function defaultConfig(): SimConfig {
  return {
    locale: "en",
    bluetoothEnabled: "1",
    btHeadphonesEnabled: true,
    repeatAll: false,
    showDiagnostics: false,
    pauseVolumeDown: false,
    pausePowerButton: true,
    headphonesVolumeLimited: true,
    displayDimTimeout: "60",
    displayDimBrightness: "50",
    shutdownTimeout: "3600",
    dayTime: "07:00",
    nightTime: "19:00",
    maxVolumeLimit: "16",
    // No night cap until the family sets one, so the volume does not depend on the clock by default.
    nightMaxVolumeLimit: "16",
    ambientColour: "#40bfd9",
    nightAmbientColour: "#f57399",
    dayDisplayBrightness: "auto",
    nightDisplayBrightness: "auto",
    dayYotoDaily: "0",
    nightYotoDaily: "0",
    dayYotoRadio: "0",
    nightYotoRadio: "0",
    daySoundsOff: "0",
    nightSoundsOff: "0",
    hourFormat: "24",
    timezone: "Europe/London",
    systemVolume: "100",
    volumeLevel: "safe",
    clockFace: "digital-sun",
    logLevel: "none",
    alarms: [],
  };
}
