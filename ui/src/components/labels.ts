import type {AccountView, CloudConnectionState, PlayerState, PlayMode} from "../../../src/shared/api/index.js";

/**
 * The words people read for the API's machine values, in one place: the views never print an enum
 * as it comes over the wire. A value added to the service later still reads as words (underscores
 * and dashes become spaces) until it gets its own label here.
 */
export function label<K extends string>(labels: Record<K, string>) {
  return (value: K | string | undefined): string => {
    if (value === undefined) return "–";
    return Object.hasOwn(labels, value) ? labels[value as K] : value.replaceAll(/[_-]/g, " ");
  };
}

export const playbackLabel = label<PlayerState["playback"]["status"]>({
  playing: "Playing",
  paused: "Paused",
  stopped: "Stopped",
  loading: "Loading…",
  unknown: "–",
});

export const powerSourceLabel = label<NonNullable<PlayerState["powerSource"]>>({
  battery: "Battery",
  dock: "Dock",
  "usb-c": "USB-C",
  qi: "Wireless charger",
  unknown: "Other",
});

export const cloudLabel = label<CloudConnectionState>({
  idle: "Not connected",
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  waiting_for_account: "Waiting for a linked account",
});

export const linkLabel = label<AccountView["state"]>({
  unlinked: "Not linked",
  linking: "Linking…",
  linked: "Linked",
  needs_relink: "Needs linking again",
});

export const playModeLabel = label<PlayMode>({
  once: "Once, in order",
  loop: "Loop",
  shuffle: "Shuffle once",
  shuffle_loop: "Shuffle and loop",
});

/** A rule's `mode`: what happens when it triggers while it is still running. */
export const ruleModeLabel = label({
  single: "one run at a time",
  restart: "restarts when triggered again",
  queued: "runs queue up",
  parallel: "runs side by side",
});

export const triggerLabel = label({
  button: "button",
  card: "card",
  mqtt: "MQTT message",
  player: "player",
  startup: "start-up",
  story: "story",
  stream_requested: "stream requested",
  time: "time",
  time_pattern: "time pattern",
  volume: "volume",
  manual: "run by hand",
});

export const storyModeLabel = label({interactive: "interactive", linear: "linear", streamed: "streamed"});

/** The night light's colour as the player reports it (`0xRRGGBB`), as CSS; undefined when off or unknown. */
export function nightLightColour(mode: string | undefined): string | undefined {
  const hex = mode?.match(/^(?:0x|#)([0-9a-f]{6})$/i)?.[1];
  return hex ? `#${hex.toLowerCase()}` : undefined;
}

const MIME_NAMES: Record<string, string> = {"audio/mpeg": "MP3", "audio/mp4": "AAC", "audio/x-m4a": "AAC"};

/** An audio file's format in words: the codec when known, else the type's name ("audio/ogg" → "OGG"). */
export function audioFormat(codec: string | undefined, mime: string): string {
  if (codec) return codec;
  return Object.hasOwn(MIME_NAMES, mime)
    ? (MIME_NAMES[mime] as string)
    : fileName(mime).replace(/^x-/, "").toUpperCase();
}

/** The last part of a path: a file's name without the folders it sits in on the service. */
export function fileName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
