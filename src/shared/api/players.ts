/** The players as the admin API, the live events, rules and Home Assistant see them. */
import type {CloudConnectionState} from "./account.js";

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
  /** The card played last, kept after it stops: what Play starts again (with the keys and position above). */
  lastCardId?: string;
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
  powerSource?: PowerSource;
  /** °C in the room (the second part of `temp`); absent when the player has no such sensor. */
  temperature?: number;
  /** °C of the battery (`batteryTemp`); absent on players that report 0 or "notSupported". */
  batteryTemperature?: number;
  ambientLight?: number;
  wifiDbm?: number;
  nightlight?: string;
  dayMode?: "day" | "night";
  headphones?: boolean;
  firmware?: string;
  lastSeen?: string;
  /** What holds the card slot (status `cardInserted` 0–3); absent until a status says. */
  cardInsertion?: "none" | "physical" | "remote" | "streaming";
  /** Bluetooth audio (headphones or a speaker) connected: `bluetoothHp`. */
  bluetoothAudio?: boolean;
  /** The device config's settings, read with the device list and after every write. */
  settings?: PlayerSettings;
}

/** "unknown": a value Yoto added after this was written (a Mini charging reports 5), kept, not dropped. */
export type PowerSource = "battery" | "dock" | "usb-c" | "qi" | "unknown";

/**
 * A player's writable settings, read from `device.config` (reference §2.2, §10.15). The config
 * keeps everything as strings ("16", "auto", "#40bfd9", "#0" for off); this is the typed view
 * Home Assistant, rules and the panel use, and the patch that turns back into config keys.
 */
export interface PlayerSettings {
  /** "#rrggbb", or null when the colour is off ("#0"). */
  dayColour?: string | null;
  nightColour?: string | null;
  /** 0–16 hardware steps; 0 is allowed (parents use it as mute). */
  dayMaxVolume?: number;
  nightMaxVolume?: number;
  /** 0–100, or "auto" (the light sensor decides). */
  dayBrightness?: number | "auto";
  nightBrightness?: number | "auto";
  /** "HH:MM", when day and night mode start. */
  dayTime?: string;
  nightTime?: string;
  /** Bluetooth on the player (`bluetoothEnabled`, "0"/"1"): headphones and speakers may connect. */
  bluetooth?: boolean;
  /** Headphones held to a safe volume (`headphonesVolumeLimited`). */
  headphonesLimited?: boolean;
  alarms: Alarm[];
}

export interface Alarm {
  /** Position in the config's `alarms` array: how an alarm is named ("Alarm 1" is index 0). */
  index: number;
  /** Seven characters, Monday first, "1" for a day it rings. */
  days: string;
  time: string;
  enabled: boolean;
}

/** What a caller may change (alarms by index → enabled); validated by `parseSettingsPatch`. */
export type SettingsPatch = Partial<Omit<PlayerSettings, "alarms">> & {alarms?: Record<number, boolean>};

/** What callers (HTTP, MQTT, rules) ask a player to do; validated by `parseCommand`. */
export type PlayerCommand =
  | {
      command: "play_card" /** An id, or a card's title. */;
      cardId: string;
      chapter?: string;
      track?: string;
      secondsIn?: number;
    }
  /** A card from a family library group: random (never the last one played there) or the first. */
  | {command: "play_group"; group: string; pick?: "random" | "first"}
  /** These start or move sound: each passes the play gate. */
  | {command: "play" | "resume" | "next" | "previous"}
  | {command: "pause" | "stop" | "reboot" | "sleep_end_of_track"}
  /** Device settings (night light colours, max volumes, brightness, times, alarms): the device config. */
  | {command: "settings"; settings: SettingsPatch}
  | {command: "seek"; seconds: number}
  | {command: "volume"; percent: number}
  | {command: "sleep"; seconds: number}
  | {command: "ambient"; color: string}
  | {command: "show_icon"; uri: string; seconds?: number};

export type CommandName = PlayerCommand["command"];

export interface PlayersList {
  players: PlayerState[];
  count: number;
  cloud: CloudConnectionState;
  /**
   * The name each player is typed into Home Assistant's MQTT Media Player integration with, by
   * player id; null when `ha_media_players` is off.
   */
  mediaPlayerNames: Record<string, string> | null;
  /**
   * The song each player hears on a radio card (its station's ICY `StreamTitle`), by player id:
   * only players playing one whose station says what it plays, and none while the station is down.
   */
  songs: Record<string, string>;
  /**
   * What each player plays now in the words of what plays, by player id: a cast's track (on the
   * relay card, whose own track is only "Announcement"), or a station's song. A player casting is
   * also listed with the cast's title, position and length in its `playback`.
   */
  playing: Record<string, NowPlaying>;
}

/** What a player plays now in its own words: a cast (Music Assistant, Home Assistant) or a station's song. */
export interface NowPlaying {
  kind: "cast" | "station";
  title: string;
  artist?: string;
  album?: string;
  /** Seconds into the track heard now, and its length, when known. */
  position?: number;
  seconds?: number;
  /** A cast an announcement plays over: its own state meanwhile (paused, if it was), not the speech's. */
  status?: "playing" | "paused";
}
