import type {SimCard} from "./content.js";
import {defaultConfig, type SimConfig, VOLUME_STEPS} from "./deviceConfig.js";
import {PlayerClock} from "./playerClock.js";
import {runCommand} from "./playerCommands.js";
import {EventReporter, eventsSnapshot} from "./playerEvents.js";
import {Playback} from "./playerPlayback.js";
import {compactStatus, fullStatus, legacyStatusPartial, periodicCompactStatus} from "./playerStatus.js";
import {StreamFetcher, type TrackFetch} from "./trackFetch.js";

export interface PlayerSpec {
  deviceId: string;
  name: string;
  deviceType: string;
  deviceFamily: string;
}

/** What a virtual player needs from the simulated cloud around it. */
export interface PlayerWorld {
  publish(topic: string, payload: object | string, retain?: boolean): void;
  card(cardId: string): SimCard | undefined;
  acks: {delayMs: number; lose: boolean};
  /** How many seconds of playback pass per real second. */
  speed: number;
  /** Full event snapshots while playing (real players: about every 5 s, reference §10.5). */
  eventsIntervalMs: number;
  /** Legacy status partials and unsolicited data/status (real players: about every 5 min). */
  statusIntervalMs: number;
  /** How far a player reads a stream with no end (trackFetch.ts: MAX_FETCH_BYTES unless given). */
  fetchLimitBytes?: number;
}

/** How many heard commands a player keeps. */
const MAX_HEARD = 1000;

/**
 * One Yoto player as the cloud sees it (reference §3–§5): commands in, acks, partial
 * `data/events`, status on request, presence. It really fetches stream track URLs over HTTP.
 * Its playback (playerPlayback.ts), event reporting (playerEvents.ts), stream fetching
 * (trackFetch.ts), command acks (playerCommands.ts) and status (playerStatus.ts) live apart; this
 * class holds its settings and hardware and ties them together.
 */
export class VirtualPlayer {
  readonly spec: PlayerSpec;
  config: SimConfig;
  online = true;
  volume = 8;
  sleepTimer?: {endsAt: number};
  nightlight = "off";
  displayed: Array<{uri: string; timeout: number}> = [];
  /** What the cloud's device shadow last held: an offline player's config still shows it. */
  lastShadow?: Record<string, unknown>;
  readonly fetches: TrackFetch[] = [];
  /** Each command topic this player heard (`card/start`, `volume/set`…), oldest first, the last 1,000: what tests count. */
  readonly heard: string[] = [];
  readonly #world: PlayerWorld;
  readonly #clock = new PlayerClock();
  readonly #events: EventReporter;
  readonly #playback: Playback;
  #sleepTimeout?: NodeJS.Timeout;
  #statusTimer?: NodeJS.Timeout;

  constructor(spec: PlayerSpec, world: PlayerWorld) {
    this.spec = spec;
    this.#world = world;
    this.config = defaultConfig();
    this.#events = new EventReporter(world, this, () => this.#playback.current?.status === "playing");
    const streams = new StreamFetcher(this.fetches, `YotoPlayer/${spec.deviceType}`, world.fetchLimitBytes);
    this.#playback = new Playback(world, this.#events, streams);
  }

  /** The max-volume cap of the mode the player is in; "0" is a real cap (parents mute with it). */
  get volumeMax(): number {
    const limit = Number(this.isDay ? this.config.maxVolumeLimit : this.config.nightMaxVolumeLimit);
    return Number.isInteger(limit) && limit >= 0 ? Math.min(VOLUME_STEPS, limit) : VOLUME_STEPS;
  }

  /** Day mode between the config's `dayTime` and `nightTime`, on the player's clock (its timezone). */
  get isDay(): boolean {
    return this.#clock.isDay(this.config);
  }

  /**
   * The cloud handed the player a new config (`PUT /config`): a lower cap pulls the volume down at
   * once, and the change goes out as a volume partial, as the knob's would.
   */
  configChanged(): void {
    const capped = Math.min(this.volume, this.volumeMax);
    if (capped !== this.volume) this.#setVolumeLevel(capped);
    else this.#events.emit({volume: this.volume, volumeMax: this.volumeMax});
  }

  get topic(): string {
    return `device/${this.spec.deviceId}`;
  }

  start(): void {
    this.#presence();
    this.#statusTimer = setInterval(() => this.#periodicStatus(), this.#world.statusIntervalMs);
    this.#statusTimer.unref();
  }

  stop(): void {
    clearInterval(this.#statusTimer);
    this.#events.stop();
    this.#playback.dispose();
    clearTimeout(this.#sleepTimeout);
  }

  /** A command published to `device/<id>/command/<command>`; an offline player never hears it. */
  handleCommand(command: string, raw: Buffer): void {
    if (!this.online) return;
    if (this.heard.length >= MAX_HEARD) this.heard.shift();
    this.heard.push(command);
    runCommand(this, this.#world, command, raw);
  }

  // --- physical controls (simulator control API) ---

  pressLeft(): boolean {
    return this.#playback.press("onLhb", -1);
  }

  pressRight(): boolean {
    return this.#playback.press("onRhb", 1);
  }

  turnKnob(steps: number): void {
    this.#setVolumeLevel(this.volume + steps);
  }

  insertCard(cardId: string): boolean {
    return this.#playback.insertCard(cardId);
  }

  removeCard(): void {
    this.#playback.stop();
  }

  /** The current track reaches its end now (for tests that cannot wait for real playback). */
  finishTrack(): void {
    this.#playback.trackEnded();
  }

  powerOff(): void {
    this.lastShadow = {...this.fullStatus(), updatedAt: new Date().toISOString()};
    this.#playback.stop(false);
    this.#world.publish(`${this.topic}/status`, {status: {...this.fullStatus(), shutDown: "userShutdown"}});
    this.#setOnline(false);
  }

  /** Network lost or back: the cloud's shadow keeps what the player last reported. */
  setOnline(online: boolean): void {
    if (!online && this.online) this.lastShadow = {...this.fullStatus(), updatedAt: new Date().toISOString()};
    this.#setOnline(online);
  }

  #setOnline(online: boolean): void {
    this.online = online;
    this.#presence();
    if (online) this.#world.publish(`${this.topic}/status`, {status: {...this.fullStatus(), upTime: 1, utcTime: 0}});
  }

  /** Pretend the last events/request was long ago: the cloud goes quiet, as the real one does. */
  silenceEvents(): void {
    this.#events.silence();
  }

  // --- state as the cloud reports it ---

  eventsSnapshot(): Record<string, unknown> {
    return eventsSnapshot(this, this.#playback.current, this.#playback.position());
  }

  compactStatus(): Record<string, unknown> {
    return compactStatus(this, this.#playback.current);
  }

  fullStatus(): Record<string, unknown> {
    return fullStatus(this, this.#playback.current);
  }

  // --- commands (playerCommands.ts) ---

  startCard(body: Record<string, unknown>): boolean {
    return this.#playback.startCard(body);
  }

  pause(): boolean {
    return this.#playback.pause();
  }

  resume(): boolean {
    return this.#playback.resume();
  }

  stopCard(): boolean {
    this.#playback.stop();
    return true;
  }

  setVolumePercent(percent: unknown): boolean {
    if (typeof percent !== "number" || percent < 0 || percent > 100) return false;
    this.#setVolumeLevel(Math.round((percent / 100) * VOLUME_STEPS));
    return true;
  }

  setSleepTimer(seconds: unknown): boolean {
    if (typeof seconds !== "number" || seconds < 0) return false;
    clearTimeout(this.#sleepTimeout);
    this.sleepTimer = seconds > 0 ? {endsAt: Date.now() + seconds * 1000} : undefined;
    if (seconds > 0) this.#sleepTimeout = setTimeout(() => this.#playback.stop(), (seconds * 1000) / this.#world.speed);
    this.#events.emit({sleepTimerActive: seconds > 0, ...(seconds > 0 ? {sleepTimerSeconds: seconds} : {})});
    return true;
  }

  setAmbient(body: Record<string, unknown>): boolean {
    const channels = [body.r, body.g, body.b];
    if (!channels.every((c) => typeof c === "number" && c >= 0 && c <= 255)) return false;
    this.nightlight = `0x${channels.map((c) => (c as number).toString(16).padStart(2, "0")).join("")}`;
    return true;
  }

  preview(body: Record<string, unknown>): boolean {
    if (typeof body.uri !== "string") return false;
    this.displayed.push({uri: body.uri, timeout: Number(body.timeout) || 10});
    return true;
  }

  requestEvents(): void {
    this.#events.request();
  }

  requestStatus(full: boolean, requestId?: unknown): void {
    if (full) this.#world.publish(`${this.topic}/status/full`, {status: {...this.fullStatus(), requestId}});
    else this.#world.publish(`${this.topic}/data/status`, {status: this.compactStatus()});
  }

  // --- internals ---

  #setVolumeLevel(level: number): void {
    const next = Math.max(0, Math.min(this.volumeMax, Math.round(level)));
    if (next === this.volume) return;
    this.volume = next;
    this.#events.emit({volume: next, volumeMax: this.volumeMax});
  }

  /** The ~5-minute legacy status partial and the unsolicited data/status (reference §10.5). */
  #periodicStatus(): void {
    if (!this.online) return;
    this.#world.publish(`${this.topic}/status`, {status: legacyStatusPartial(this)});
    this.#world.publish(`${this.topic}/data/status`, {status: periodicCompactStatus(this, this.#playback.current)});
  }

  #presence(): void {
    this.#world.publish(`${this.topic}/presence`, {state: this.online ? "online" : "offline", ts: Date.now()}, true);
  }
}
