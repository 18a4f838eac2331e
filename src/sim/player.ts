import {ownEntry} from "../core/ownKeys.js";
import type {SimCard, SimChapter, SimTrack, TrackAction} from "./content.js";
import {locate} from "./content.js";
import {defaultConfig, type SimConfig, VOLUME_STEPS} from "./deviceConfig.js";
import {COMMANDS} from "./playerCommands.js";
import {compactStatus, fullStatus, legacyStatusPartial, periodicCompactStatus} from "./playerStatus.js";
import {expiredSignedLink} from "./signing.js";
import {downloadTrack, type TrackFetch} from "./trackFetch.js";

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
}

const EVENT_SILENCE_MS = 5 * 60_000;
/** What real players send as partial events; anything about playback comes as a full snapshot. */
const PARTIAL_KEYS = new Set(["volume", "volumeMax", "sleepTimerActive", "sleepTimerSeconds"]);

export type Playing = {
  card: SimCard;
  chapter: SimChapter;
  track: SimTrack;
  position: number;
  startedAt: number;
  status: "playing" | "paused";
  source: string;
};

/**
 * One Yoto player as the cloud sees it (reference §3–§5): commands in, acks, partial
 * `data/events`, status on request, presence. It really fetches stream track URLs over HTTP.
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
  readonly #world: PlayerWorld;
  #playing?: Playing;
  #lastEventsRequest = 0;
  #clockFor?: {zone: string; format: Intl.DateTimeFormat | undefined};
  #endTimer?: NodeJS.Timeout;
  #sleepTimeout?: NodeJS.Timeout;
  #fetch?: AbortController;
  #snapshotTimer?: NodeJS.Timeout;
  #statusTimer?: NodeJS.Timeout;

  constructor(spec: PlayerSpec, world: PlayerWorld) {
    this.spec = spec;
    this.#world = world;
    this.config = defaultConfig();
  }

  /** The max-volume cap of the mode the player is in; "0" is a real cap (parents mute with it). */
  get volumeMax(): number {
    const limit = Number(this.isDay ? this.config.maxVolumeLimit : this.config.nightMaxVolumeLimit);
    return Number.isInteger(limit) && limit >= 0 ? Math.min(VOLUME_STEPS, limit) : VOLUME_STEPS;
  }

  /**
   * The player's clock, made again only when its timezone changes: building an Intl formatter
   * takes about a millisecond, and `isDay` is read with every event.
   */
  #clock(): Intl.DateTimeFormat | undefined {
    const zone = String(this.config.timezone || "UTC");
    if (this.#clockFor?.zone !== zone) this.#clockFor = {zone, format: clockFormat(zone)};
    return this.#clockFor.format;
  }

  /** Day mode between the config's `dayTime` and `nightTime`, on the player's clock (its timezone). */
  get isDay(): boolean {
    const now = minutesOfDay(new Date(), this.#clock());
    const day = hhmmMinutes(this.config.dayTime);
    const night = hhmmMinutes(this.config.nightTime);
    if (day === undefined || night === undefined || day === night) return true;
    return day < night ? now >= day && now < night : now >= day || now < night;
  }

  /**
   * The cloud handed the player a new config (`PUT /config`): a lower cap pulls the volume down at
   * once, and the change goes out as a volume partial, as the knob's would.
   */
  configChanged(): void {
    const capped = Math.min(this.volume, this.volumeMax);
    if (capped !== this.volume) this.#setVolumeLevel(capped);
    else this.#emit({volume: this.volume, volumeMax: this.volumeMax});
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
    clearInterval(this.#snapshotTimer);
    clearTimeout(this.#endTimer);
    clearTimeout(this.#sleepTimeout);
    this.#fetch?.abort();
  }

  /** A command published to `device/<id>/command/<command>`. */
  handleCommand(command: string, raw: Buffer): void {
    if (!this.online) return;
    const text = raw.toString("utf8");
    let body: Record<string, unknown> = {};
    try {
      body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    const handler = ownEntry(COMMANDS, command);
    if (!handler) {
      this.#ack(command.replace("/", "-"), "FAIL", text);
      return;
    }
    const ok = handler.run(this, body);
    this.#ack(handler.ack, ok ? "OK" : "FAIL", text);
  }

  // --- physical controls (simulator control API) ---

  pressLeft(): boolean {
    return this.#button("onLhb", -1);
  }

  pressRight(): boolean {
    return this.#button("onRhb", 1);
  }

  turnKnob(steps: number): void {
    this.#setVolumeLevel(this.volume + steps);
  }

  insertCard(cardId: string): boolean {
    const card = this.#world.card(cardId);
    const first = card?.content.chapters[0];
    if (!card || !first?.tracks[0]) return false;
    this.#play(card, first, first.tracks[0], 0, "card");
    return true;
  }

  removeCard(): void {
    this.#stopPlayback();
  }

  /** The current track reaches its end now (for tests that cannot wait for real playback). */
  finishTrack(): void {
    if (this.#playing) this.#trackEnded();
  }

  powerOff(): void {
    this.lastShadow = {...this.fullStatus(), updatedAt: new Date().toISOString()};
    this.#stopPlayback(false);
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
    this.#lastEventsRequest = 0;
  }

  // --- state as the cloud reports it ---

  eventsSnapshot(): Record<string, unknown> {
    const p = this.#playing;
    const sleeping = this.sleepTimer ? Math.max(0, Math.round((this.sleepTimer.endsAt - Date.now()) / 1000)) : 0;
    return {
      repeatAll: false,
      volume: this.volume,
      volumeMax: this.volumeMax,
      cardId: p?.card.cardId ?? "none",
      playbackStatus: p ? p.status : "stopped",
      streaming: p?.track.type === "stream",
      playbackWait: false,
      sleepTimerActive: sleeping > 0,
      // Absent when no timer runs, as real players send it (reference §10.5).
      ...(sleeping > 0 ? {sleepTimerSeconds: sleeping} : {}),
      ...(p
        ? {
            source: p.source,
            chapterKey: p.chapter.key,
            chapterTitle: p.chapter.title,
            trackKey: p.track.key,
            trackTitle: p.track.title,
            trackLength: p.track.duration ?? 0,
            position: Math.floor(this.#position()),
            cardUpdatedAt: p.card.updatedAt,
          }
        : {}),
      eventUtc: Math.floor(Date.now() / 1000),
    };
  }

  compactStatus(): Record<string, unknown> {
    return compactStatus(this, this.#playing);
  }

  fullStatus(): Record<string, unknown> {
    return fullStatus(this, this.#playing);
  }

  // --- internals ---

  startCard(body: Record<string, unknown>): boolean {
    const cardId = /^https:\/\/yoto\.io\/([A-Za-z0-9]{5})$/.exec(String(body.uri ?? ""))?.[1];
    const card = cardId ? this.#world.card(cardId) : undefined;
    if (!card) return false;
    const chapterKey = typeof body.chapterKey === "string" ? body.chapterKey : card.content.chapters[0]?.key;
    const chapter = card.content.chapters.find((c) => c.key === chapterKey);
    const trackKey = typeof body.trackKey === "string" ? body.trackKey : chapter?.tracks[0]?.key;
    // Keys must match exactly, zero padding included ("08", not "8"): otherwise FAIL.
    const track = chapter?.tracks.find((t) => t.key === trackKey);
    if (!chapter || !track) return false;
    // A card written back with Yoto's signed links stops playing once they expire (reference §10.12).
    if (expiredSignedLink(track.trackUrl)) return false;
    this.#play(card, chapter, track, Number(body.secondsIn) || 0, "remote");
    return true;
  }

  pause(): boolean {
    const p = this.#playing;
    if (p?.status !== "playing") return false;
    p.position = this.#position();
    p.status = "paused";
    clearTimeout(this.#endTimer);
    this.#emit({playbackStatus: "paused", position: Math.floor(p.position)});
    return true;
  }

  resume(): boolean {
    const p = this.#playing;
    if (p?.status !== "paused") return false;
    p.status = "playing";
    p.startedAt = Date.now();
    this.#scheduleEnd();
    this.#emit({playbackStatus: "playing"});
    return true;
  }

  stopCard(): boolean {
    this.#stopPlayback();
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
    if (seconds > 0) this.#sleepTimeout = setTimeout(() => this.#stopPlayback(), (seconds * 1000) / this.#world.speed);
    this.#emit({sleepTimerActive: seconds > 0, ...(seconds > 0 ? {sleepTimerSeconds: seconds} : {})});
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
    this.#lastEventsRequest = Date.now();
    this.#world.publish(`${this.topic}/data/events`, this.eventsSnapshot());
  }

  requestStatus(full: boolean, requestId?: unknown): void {
    if (full) this.#world.publish(`${this.topic}/status/full`, {status: {...this.fullStatus(), requestId}});
    else this.#world.publish(`${this.topic}/data/status`, {status: this.compactStatus()});
  }

  #button(handler: "onLhb" | "onRhb", step: number): boolean {
    const p = this.#playing;
    if (!p) return false;
    if (p.card.content.playbackType === "interactive") return this.#follow(p.track.events?.[handler]);
    const {order, index} = locate(p.card, p.chapter.key, p.track.key);
    const next = order[index + step];
    if (!next) return false;
    this.#play(p.card, next.chapter, next.track, 0, p.source);
    return true;
  }

  #follow(action: TrackAction | undefined): boolean {
    const p = this.#playing;
    if (!p || !action) return false;
    if (action.cmd === "stop") {
      this.#stopPlayback();
      return true;
    }
    const chapter = p.card.content.chapters.find((c) => c.key === action.params.chapterKey);
    const track = chapter?.tracks.find((t) => t.key === action.params.trackKey);
    if (!chapter || !track) return false;
    this.#play(p.card, chapter, track, 0, p.source);
    return true;
  }

  #trackEnded(): void {
    const p = this.#playing;
    if (!p) return;
    if (p.card.content.playbackType === "interactive") {
      if (!this.#follow(p.track.events?.onEnd ?? {cmd: "stop"})) this.#stopPlayback();
      return;
    }
    const {order, index} = locate(p.card, p.chapter.key, p.track.key);
    const next = order[index + 1];
    if (next) this.#play(p.card, next.chapter, next.track, 0, p.source);
    else this.#stopPlayback();
  }

  #play(card: SimCard, chapter: SimChapter, track: SimTrack, position: number, source: string): void {
    clearTimeout(this.#endTimer);
    this.#playing = {card, chapter, track, position, startedAt: Date.now(), status: "playing", source};
    this.#emit({
      cardId: card.cardId,
      chapterKey: chapter.key,
      chapterTitle: chapter.title,
      trackKey: track.key,
      trackTitle: track.title,
      trackLength: track.duration ?? 0,
      position,
      playbackStatus: "playing",
      source,
      streaming: track.type === "stream",
    });
    this.#fetchTrack(track);
    this.#scheduleEnd();
  }

  #stopPlayback(announce = true): void {
    clearTimeout(this.#endTimer);
    this.#fetch?.abort();
    if (!this.#playing) return;
    this.#playing = undefined;
    this.#followPlayback();
    // The device reports "none" but leaves chapter/track/position as they were (reference §4.1).
    if (announce) this.#emit({cardId: "none", playbackStatus: "stopped", streaming: false});
  }

  /** Players pull stream tracks themselves: fetch and consume it, as the hardware would. */
  #fetchTrack(track: SimTrack): void {
    this.#fetch?.abort();
    if (!/^https?:\/\//.test(track.trackUrl)) return;
    const controller = new AbortController();
    this.#fetch = controller;
    const record: TrackFetch = {url: track.trackUrl, status: 0, bytes: 0, at: new Date().toISOString()};
    this.fetches.push(record);
    downloadTrack(track.trackUrl, `YotoPlayer/${this.spec.deviceType}`, record, controller.signal)
      .then((bytes) => {
        controller.abort();
        // A stream track says duration 0: its length is what the bytes hold at 128 kb/s.
        if (bytes !== undefined && !track.duration && this.#playing?.track === track) {
          this.#playing.track = {...track, duration: Math.max(1, Math.round(bytes / 16_000))};
          this.#scheduleEnd();
        }
      })
      .catch(() => undefined);
  }

  #scheduleEnd(): void {
    clearTimeout(this.#endTimer);
    const p = this.#playing;
    if (p?.status !== "playing" || !p.track.duration) return;
    const remaining = Math.max(0, p.track.duration - this.#position());
    this.#endTimer = setTimeout(() => this.#trackEnded(), (remaining * 1000) / this.#world.speed);
  }

  #position(): number {
    const p = this.#playing;
    if (!p) return 0;
    return p.status === "playing" ? p.position + ((Date.now() - p.startedAt) / 1000) * this.#world.speed : p.position;
  }

  #setVolumeLevel(level: number): void {
    const next = Math.max(0, Math.min(this.volumeMax, Math.round(level)));
    if (next === this.volume) return;
    this.volume = next;
    this.#emit({volume: next, volumeMax: this.volumeMax});
  }

  /**
   * Volume and sleep-timer changes go out as partials; playback changes as full snapshots. Both
   * stop ~5 min after the last events/request, and every event also goes out on the legacy
   * `events` topic, as real players do (reference §10.5).
   */
  #emit(changed: Record<string, unknown>): void {
    this.#followPlayback();
    if (!this.online || Date.now() - this.#lastEventsRequest > EVENT_SILENCE_MS) return;
    const partial = Object.keys(changed).every((k) => PARTIAL_KEYS.has(k));
    this.#sendEvents(partial ? {...changed, eventUtc: Math.floor(Date.now() / 1000)} : this.eventsSnapshot());
  }

  #sendEvents(payload: Record<string, unknown>): void {
    this.#world.publish(`${this.topic}/data/events`, payload);
    this.#world.publish(`${this.topic}/events`, payload);
  }

  /** While a card plays, a full snapshot about every 5 s, its position advancing. */
  #followPlayback(): void {
    const playing = this.#playing?.status === "playing";
    if (playing && !this.#snapshotTimer) {
      this.#snapshotTimer = setInterval(() => {
        if (this.#playing?.status !== "playing") return this.#followPlayback();
        if (this.online && Date.now() - this.#lastEventsRequest <= EVENT_SILENCE_MS)
          this.#sendEvents(this.eventsSnapshot());
      }, this.#world.eventsIntervalMs);
      this.#snapshotTimer.unref();
    } else if (!playing && this.#snapshotTimer) {
      clearInterval(this.#snapshotTimer);
      this.#snapshotTimer = undefined;
    }
  }

  /** The ~5-minute legacy status partial and the unsolicited data/status (reference §10.5). */
  #periodicStatus(): void {
    if (!this.online) return;
    this.#world.publish(`${this.topic}/status`, {status: legacyStatusPartial(this)});
    this.#world.publish(`${this.topic}/data/status`, {status: periodicCompactStatus(this, this.#playing)});
  }

  #ack(key: string, result: "OK" | "FAIL", reqBody: string): void {
    const {delayMs, lose} = this.#world.acks;
    if (lose) return;
    const send = () => this.#world.publish(`${this.topic}/response`, {status: {[key]: result, req_body: reqBody}});
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  }

  #presence(): void {
    this.#world.publish(`${this.topic}/presence`, {state: this.online ? "online" : "offline", ts: Date.now()}, true);
  }
}

function hhmmMinutes(value: unknown): number | undefined {
  const m = typeof value === "string" ? /^(\d{2}):(\d{2})$/.exec(value) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** A formatter for hours and minutes in `timeZone`, or undefined for a zone Intl does not know (UTC then). */
function clockFormat(timeZone: string): Intl.DateTimeFormat | undefined {
  try {
    return new Intl.DateTimeFormat("en-GB", {timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  } catch {
    return undefined;
  }
}

function minutesOfDay(at: Date, clock: Intl.DateTimeFormat | undefined): number {
  if (!clock) return at.getUTCHours() * 60 + at.getUTCMinutes();
  const parts = clock.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}
