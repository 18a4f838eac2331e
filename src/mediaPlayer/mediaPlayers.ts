import type {AnnounceRequest} from "../announce/request.js";
import type {TopicFeature} from "../bridge/features.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {PlayRequest, Start} from "../gate/types.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {PlayerMutes} from "../yoto/playerMutes.js";
import {type MediaAction, parseMediaCommand} from "./mediaCommands.js";
import {type CastDisplay, mediaStateValues} from "./mediaState.js";
import {type MediaTopics, mediaPlayerConfig, STATE_KEYS} from "./mediaTopics.js";
import type {PlayerExposure} from "./playerExposure.js";

/** How every start from Home Assistant's media player is asked at the play gate. */
const ASKED: PlayRequest = {route: "media_player"};

export interface MediaPlayersOptions {
  topics: MediaTopics;
  /** Every start (Play, Next, a card) passes the play gate as the media player's. */
  players: Pick<GatedPlayers, "list" | "get" | "command" | "cardSummary" | "cloud">;
  /**
   * An announcement with resume, as `POST /api/players/<p>/announce` makes; with `start`, a library
   * item played once, asked at the play gate first.
   */
  announce(
    player: string,
    request: AnnounceRequest,
    how: {broadcast: boolean; start?: Start},
  ): Promise<{result: string; detail: string}>;
  cards: {playStream(player: string, stream: string, start: Start): Promise<unknown>};
  /** Any other http(s) URL, played as a stream on the relay card (`Announcer.playUrl`): nothing resumed after it. */
  playUrl(player: string, url: string, how: {start: Start}): Promise<unknown>;
  /** Mute for a player that only has a volume (shared with the renderers). */
  mutes: Pick<PlayerMutes, "mute" | "unmute" | "muted">;
  /** Each player's switch: a player turned off there is not offered to Home Assistant this way. */
  exposure: Pick<PlayerExposure, "get">;
  /** The bridge's connection to the local broker. */
  publish(topic: string, payload: string | object, retain?: boolean): void;
  art: {get(url: string): Promise<string>};
  /** The song a card's radio station says it plays (none while the station is down, or for any other card). */
  liveTitle?(cardId: string): string | undefined;
  /** What a renderer's cast plays on the player showing this card (its relay card), if one does. */
  castNow?(cardId: string): CastDisplay | undefined;
  /** Off (`ha_media_players: false`): nothing published, and configs left from before cleared. */
  enabled: boolean;
  bus: EventBus;
  log: Logger;
  /** How long a flood of refused commands is counted before it is summed up in the log (a minute). */
  floodWindowMs?: number;
}

interface Shown {
  cardId: string | null;
  title?: string;
  image?: string;
}

/**
 * Each player as one Home Assistant `media_player`, through the MQTT Media Player integration
 * (HACS): its config, retained per player; state topics sent only when their text changes; and
 * its commands (play, pause, next, previous, volume, mute, play_media), answered on
 * `<base>/bridge/response/player/media`. A player whose media player a parent turned off (its
 * switch in the panel) has its config and state cleared and is not published again until the
 * switch is back on: Home Assistant then does not offer it again at each start.
 */
export class MediaPlayers implements Service, TopicFeature {
  readonly name = "media-players";
  readonly subscriptions: readonly string[];
  readonly #opts: MediaPlayersOptions;
  /** Per player, per state topic: the text last sent. */
  readonly #sent = new Map<string, Map<string, string>>();
  /** Per player: the card shown, with its title and cover once read. */
  readonly #shown = new Map<string, Shown>();
  /** Turned off: players whose config a run before left retained, cleared once the player is known. */
  readonly #leftover = new Set<string>();
  /** Players turned off by their switch, cleared once: a later change of another switch sends nothing. */
  readonly #off = new Set<string>();
  readonly stats = {commands: 0, refused: 0};
  /** Commands are anyone's on the broker to send: a flood of bad ones is its first few lines and a count. */
  readonly #flood: FloodSummary;

  constructor(opts: MediaPlayersOptions) {
    this.#opts = opts;
    this.#flood = new FloodSummary(opts.log, {windowMs: opts.floodWindowMs});
    // Turned off: the configs a run before left retained are looked for, to be cleared.
    this.subscriptions = [opts.enabled ? opts.topics.subscription : opts.topics.configPattern];
  }

  async start(): Promise<void> {
    const {bus} = this.#opts;
    if (!this.#opts.enabled) {
      bus.on(this, "player.added", ({player}) => {
        if (this.#leftover.delete(player.id)) this.#removed(player.id);
      });
      return;
    }
    bus.on(this, "player.added", ({player}) => {
      // Turned off: what a run before it left retained is cleared (an empty config offers nothing).
      if (this.#exposed(player.id)) this.#publishPlayer(player, true);
      else this.#turnedOff(player.id);
    });
    bus.on(this, "player.exposureChanged", ({playerId, exposure}) => {
      if (!exposure.media_player) {
        if (!this.#off.has(playerId)) this.#turnedOff(playerId);
        return;
      }
      this.#off.delete(playerId);
      // Already published (the other switch changed): nothing to send.
      if (this.#sent.has(playerId)) return;
      const player = this.#opts.players.list().find((p) => p.id === playerId);
      if (player) this.#publishPlayer(player, true);
    });
    bus.on(this, "player.changed", ({player}) => this.#publishState(player, false));
    bus.on(this, "player.removed", ({id}) => this.#removed(id));
    bus.on(this, "cloud.stateChanged", () => {
      for (const p of this.#opts.players.list()) this.#publishState(p, false);
    });
    // A station's song changed, or it went down or came back: players on its card show it (only
    // what changed is sent).
    const stations = () => {
      for (const p of this.#opts.players.list()) this.#publishState(p, false);
    };
    bus.on(this, "radio.songChanged", stations);
    bus.on(this, "radio.stateChanged", stations);
    // A renderer's queue moved to its next track: the player on its relay card shows that title.
    bus.on(this, "upnp.castTitleChanged", stations);
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    this.#flood.stop();
  }

  health() {
    return {details: {players: this.#sent.size, ...this.stats}};
  }

  /** The name each player is typed into the integration with, by player id; null when turned off. */
  names(): Record<string, string> | null {
    if (!this.#opts.enabled) return null;
    return Object.fromEntries(this.#opts.players.list().map((p) => [p.id, this.#opts.topics.name(p.id)]));
  }

  owns(topic: string): boolean {
    const {topics, enabled} = this.#opts;
    return enabled ? topics.parseCommand(topic) !== undefined : topics.playerOfConfig(topic) !== undefined;
  }

  publishAll(): void {
    if (!this.#opts.enabled) return;
    for (const p of this.#opts.players.list()) {
      if (this.#exposed(p.id)) this.#publishPlayer(p, true);
      else if (!this.#off.has(p.id)) this.#turnedOff(p.id);
    }
  }

  onMessage(topic: string, payload: Buffer): void {
    const {topics, enabled, players} = this.#opts;
    if (!enabled) {
      // Only this instance's configs, and only once its player is known (another instance's
      // names may start with the same slug).
      const id = topics.playerOfConfig(topic);
      if (id === undefined || payload.length === 0) return;
      if (players.list().some((p) => p.id === id)) this.#removed(id);
      else this.#leftover.add(id);
      return;
    }
    const target = topics.parseCommand(topic);
    if (target) void this.#command(target.playerId, target.command, payload.toString("utf8"));
  }

  async #command(playerId: string, command: string, payload: string): Promise<void> {
    const {players, log} = this.#opts;
    const answer = (body: Record<string, unknown>) =>
      this.#opts.publish(this.#opts.topics.bridge.response("player/media"), {
        ...body,
        data: {player: playerId, command},
      });
    let player: PlayerState;
    let action: MediaAction;
    try {
      player = players.get(playerId);
      if (!this.#exposed(player.id))
        throw new AppError(
          "media_player_off",
          `'${player.name}' is not offered to Home Assistant as a media player: turn its media player on in its details in the panel`,
          {status: 409},
        );
      action = parseMediaCommand(command, payload, player);
    } catch (err) {
      this.stats.refused++;
      this.#flood.warning(
        "refused media player commands",
        `Ignored the media player's '${command}' for '${playerId}': ${errorMessage(err)}`,
      );
      answer({status: "error", error: errorMessage(err)});
      return;
    }
    this.stats.commands++;
    try {
      if (action.kind === "command" && action.note) log.info(`${player.name}: ${action.note}`);
      const skipped = await this.#run(player, action);
      answer(skipped ? {status: "ok", result: "skipped", detail: skipped} : {status: "ok"});
    } catch (err) {
      const code = err instanceof AppError ? ` (${err.code})` : "";
      this.#flood.warning(
        "failed media player commands",
        `The media player's '${command}' on '${player.name}' failed${code}: ${errorMessage(err)}`,
      );
      answer({status: "error", error: errorMessage(err)});
    }
  }

  /** Carry out the action; answers why an announcement was skipped, if it was. */
  async #run(player: PlayerState, action: MediaAction): Promise<string | undefined> {
    switch (action.kind) {
      case "command":
        await this.#opts.players.command(player.id, action.command, ASKED);
        return;
      case "card":
        await this.#opts.players.command(player.id, {command: "play_card", cardId: action.card}, ASKED);
        return;
      case "stream":
        await this.#opts.cards.playStream(player.id, action.stream, ASKED);
        return;
      case "url":
        await this.#opts.playUrl(player.id, action.url, {start: {...ASKED, what: "Something to play (a URL)"}});
        return;
      case "item":
        await this.#opts.announce(player.id, action.request, {broadcast: false, start: {...ASKED, what: action.what}});
        return;
      case "mute": {
        await (action.mute ? this.#opts.mutes.mute(player.id) : this.#opts.mutes.unmute(player.id));
        // Shown at once: the player reports its new level a moment later.
        this.#publishState(this.#opts.players.get(player.id), false);
        return;
      }
      case "announce": {
        // Home Assistant's tts.speak and media browser come here, and tts.speak is how a doorbell or
        // a speaker group announces: a broadcast, which leaves a player in quiet hours asleep.
        const outcome = await this.#opts.announce(player.id, action.request, {broadcast: true});
        if (outcome.result !== "skipped") return;
        this.#opts.log.info(`Announcement skipped: ${outcome.detail}`);
        return outcome.detail;
      }
    }
  }

  #exposed(playerId: string): boolean {
    return this.#opts.exposure.get(playerId).media_player;
  }

  #publishPlayer(p: PlayerState, force: boolean): void {
    const {topics} = this.#opts;
    this.#opts.publish(topics.config(p.id), mediaPlayerConfig(topics, p.id, p.name), true);
    this.#publishState(p, force);
  }

  #publishState(p: PlayerState, force: boolean): void {
    if (!this.#exposed(p.id)) return;
    const reachable = this.#opts.players.cloud.state === "connected";
    const shown = this.#cardShown(p);
    const station = shown.cardId === null ? undefined : this.#opts.liveTitle?.(shown.cardId);
    // Between an announcement's end and the cast it played over put back, the player shows no card.
    const castOn = shown.cardId ?? p.playback.lastCardId;
    const cast = castOn === undefined ? undefined : this.#opts.castNow?.(castOn);
    const values = mediaStateValues(p, reachable, shown, station, this.#opts.mutes.muted(p.id), cast);
    for (const [key, text] of Object.entries(values)) if (text !== undefined) this.#send(p.id, key, text, force);
    // The cover is sent when read (#readCard); a forced republish sends the last one again.
    const art = shown.cardId === null ? "" : this.#sent.get(p.id)?.get("albumart");
    if (art !== undefined) this.#send(p.id, "albumart", art, force);
  }

  /** The card now shown; a new one is read (title, then cover) and the player published again. */
  #cardShown(p: PlayerState): Shown {
    const cardId = p.playback.cardId;
    const shown = this.#shown.get(p.id);
    if (shown && shown.cardId === cardId) return shown;
    const next: Shown = {cardId};
    this.#shown.set(p.id, next);
    if (cardId !== null) void this.#readCard(p.id, next, cardId);
    return next;
  }

  async #readCard(playerId: string, shown: Shown, cardId: string): Promise<void> {
    const summary = await this.#opts.players.cardSummary(cardId);
    if (this.#shown.get(playerId) !== shown || !summary) return;
    shown.title = summary.title;
    shown.image = summary.image;
    const player = this.#opts.players.list().find((p) => p.id === playerId);
    if (player) this.#publishState(player, false);
    if (!summary.image) return;
    try {
      const art = await this.#opts.art.get(summary.image);
      if (this.#shown.get(playerId) === shown) this.#send(playerId, "albumart", art, false);
    } catch (err) {
      this.#opts.log.info(`No album art for card ${cardId}: ${errorMessage(err)}`);
    }
  }

  #send(playerId: string, key: string, text: string, force: boolean): void {
    if (!this.#exposed(playerId)) return;
    const sent = this.#sent.get(playerId) ?? new Map<string, string>();
    this.#sent.set(playerId, sent);
    if (!force && sent.get(key) === text) return;
    sent.set(key, text);
    this.#opts.publish(this.#opts.topics.state(playerId, key as (typeof STATE_KEYS)[number]), text, true);
  }

  #turnedOff(id: string): void {
    this.#off.add(id);
    this.#removed(id);
  }

  /**
   * A player gone from the account, or turned off: its config and retained state are cleared. The
   * config first: an empty one is ignored by the integration (and by its discovery, so nothing is
   * offered), while the entity it set up stays subscribed to the state topics. Each of those takes
   * an empty text except the volume, whose `float()` raises on one: it is left at a retained 0.
   */
  #removed(id: string): void {
    const {topics, publish} = this.#opts;
    publish(topics.config(id), "", true);
    for (const key of STATE_KEYS) publish(topics.state(id, key), key === "volume" ? "0" : "", true);
    this.#sent.delete(id);
    this.#shown.delete(id);
  }
}
