import type {StreamHow} from "../announce/announcer.js";
import type {Clip, Clips} from "../announce/clips.js";
import type {AnnounceRequest} from "../announce/request.js";
import type {ArchivedTrackAt, ArchivedTrackKeys} from "../archive/audioPaths.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {PlayRequest, Start} from "../gate/types.js";
import type {AnnounceOutcome, AnnounceResumed} from "../shared/api/announce.js";
import {Subscriptions} from "../upnp/gena.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {CastNow} from "./castNow.js";
import type {PlayMode} from "./castQueue.js";
import {CastShowing} from "./castShowing.js";
import {ConverterSlots} from "./converterSlots.js";
import {HeldPlays} from "./heldPlays.js";
import {changed, eventBody} from "./lastChange.js";
import type {TargetContext} from "./playTarget.js";
import type {RendererIdentity} from "./rendererDescription.js";
import {
  avTransportVariables,
  type Cast,
  type RendererInputs,
  renderingVariables,
  type Variables,
} from "./rendererState.js";
import {type ServiceKey, sinkProtocolInfo} from "./rendererTables.js";
import {declaredDuration} from "./sourceKind.js";
import {TrackLengths} from "./trackLengths.js";

/** What a renderer needs of the rest of the service (bound in the composition root). */
export interface RendererDeps {
  /** Every start a control point sends (Play, Next, Seek, a card's track) passes the play gate, as a cast's. */
  players: Pick<GatedPlayers, "get" | "command" | "cardSummary">;
  mutes: {
    mute(id: string): Promise<void>;
    unmute(id: string): Promise<void>;
    muted(id: string): boolean;
    /** The level a muted player goes back to: a mute is not a volume of 0. */
    mutedLevel(id: string): number | undefined;
  };
  announcer: {
    announce(ref: string, request: AnnounceRequest, how: {broadcast?: boolean}): Promise<AnnounceOutcome>;
    playUrl(ref: string, url: string, how: StreamHow): Promise<AnnounceOutcome>;
    /** A queue's audio on the relay card (castQueue.ts), and what makes its tracks. */
    playClip(ref: string, clip: Clip, how: StreamHow): Promise<AnnounceOutcome>;
    clips: Pick<Clips, "prepare" | "discard" | "arriving" | "convertLive">;
    isRelayCard(cardId: string): boolean;
    /** Whether the relay card plays an announcement now (its audio, not a stream's or a cast's). */
    speaking(playerId: string): boolean;
    /** What Home Assistant's Stop interrupted before an announcement, put back through the gate. */
    putBackStopped(playerId: string, at: AnnounceResumed, request: PlayRequest): Promise<unknown>;
    /** Whether an announcement plays on the player now (a cast's next run waits for it). */
    queued(playerRef: string): {waiting: number; playing: boolean};
    /** Whether the player is saying an announcement now: a Stop ends the cast, not the speech. */
    speaking(playerId: string): boolean;
    /** A new cast waits for the speech: what the announcement interrupted is not put back before it. */
    takeOver(playerId: string): void;
  };
  playStream(playerId: string, stream: string, start: Start): Promise<unknown>;
  /** An archived card's chapter and track keys by position (the library's Cards), or undefined when not archived. */
  archivedTrack?(at: ArchivedTrackAt): ArchivedTrackKeys | undefined;
  /** Why the player may not play now (quiet hours, bedtime, a used-up budget), or undefined. */
  mayNotPlay(playerId: string): string | undefined;
  /**
   * A refusal for the parents' eyes: `logged` for the log; `asked` (once per attempt, else undefined)
   * for the family journal, with `why`.
   */
  refused(playerId: string, logged: string, asked: string | undefined, why: string): void;
  target: TargetContext;
  log: Logger;
  /** The title a queue plays changed (to null when it ended): what the player is shown as playing follows. */
  castTitleChanged?(title: string | null): void;
  /** A cast track ended before its source did (it stopped sending, ran too long): told to the parents and the panel. */
  castTrackEnded?(title: string, why: string): void;
  /** A whole cast ended that its control point did not end (an announcement could not put it back): the family's journal. */
  castEnded?(playerId: string, text: string): void;
  /**
   * How long a cast's source may take to answer and send nothing, what it may send, and how long
   * its audio fetched at SetAVTransportURI waits for Play (tests shorten them).
   */
  sourceLimits?: {answerMs?: number; idleMs?: number; maxBytes?: number; prefetchMs?: number};
  /** The converters all renderers share (the renderers' service's); a renderer on its own has its own. */
  converters?: ConverterSlots;
}

/** A Stop that interrupted a card, kept a while: Home Assistant stops before it speaks, then the card comes back. */
export interface StoppedCard {
  at: AnnounceResumed;
  time: number;
}

/** Events for a service go out at most this often (UPnP AV moderates LastChange to 5 a second). */
const EVENT_INTERVAL_MS = 200;
/** What the player is shown as playing changes at most this often. */
const TITLE_INTERVAL_MS = 1000;
/** How long an action's answer waits for its event to be written to the caller, at most (behind the caller's own earlier events). */
const SETTLE_MS = 300;

/**
 * One player as a UPnP MediaRenderer: what it plays and how it is, as the state variables of its
 * three services, and the control points subscribed to them. Actions are in renderingActions.ts
 * and transportActions.ts; this keeps the state and sends events.
 */
export class Renderer {
  readonly subs: Subscriptions;
  cast?: Cast;
  /** SetPlayMode: how a cast queue goes on (castQueue.ts); a card plays NORMAL. */
  playMode: PlayMode = "NORMAL";
  stopped?: StoppedCard;
  lastAction: {name: string; at: string} | null = null;
  readonly seenBy = new Map<string, string>();
  #card?: {cardId: string; title?: string; image?: string; tracks?: number};
  readonly #sent = new Map<ServiceKey, Variables>();
  readonly #lastSentAt = new Map<ServiceKey, number>();
  readonly #timers = new Map<ServiceKey, NodeJS.Timeout>();
  /** Each card track's length as the player last said it: a stream track reports 0 after a seek. */
  readonly #lengths = new TrackLengths();
  /** The queue's title last told (castTitleChanged), when, and the telling waiting for its turn. */
  #castTitle: string | null = null;
  #titleToldAt = 0;
  #titleTimer?: NodeJS.Timeout;
  /** Plays the parents' rules held, so one attempt is one line in the journal. */
  readonly held = new HeldPlays();
  /** Where this renderer's ffmpeg processes are counted (ConverterSlots): within a ceiling of its own and of all. */
  readonly converters: ConverterSlots;
  /** The card the player showed when the cast started: the cast is over once it moves on from the next. */
  #castFrom?: {before: string | null; seen?: string | null};
  /** How the cast is shown, before, during and after an announcement over it (castShowing.ts). */
  readonly #showing = new CastShowing(this);

  constructor(
    public identity: RendererIdentity,
    readonly deps: RendererDeps,
  ) {
    this.subs = new Subscriptions(deps.log, deps.target.ownPorts ? {ownPorts: deps.target.ownPorts} : {});
    this.converters = deps.converters ?? new ConverterSlots();
  }

  /** A cast track ended early: the log says so, and so does the `upnp.castTrackEnded` event. */
  trackCut(title: string, why: string): void {
    this.deps.log.warning(`'${this.identity.name}': '${title}' ended early: ${why}`);
    this.deps.castTrackEnded?.(title, why);
  }

  /**
   * A cast ended that its control point did not end (an announcement over it could not put it
   * back): the log, the panel's event and the family's journal say why; the control point sees
   * STOPPED in its next event, and Music Assistant's queue acts on it.
   */
  castEnded(title: string, why: string): void {
    if (this.cast) this.cast.announcedOver = undefined;
    const text = `The cast '${title}' on '${this.identity.name}' stopped: ${why}`;
    this.deps.log.warning(text);
    this.deps.castTrackEnded?.(title, why);
    this.deps.castEnded?.(this.playerId, text);
  }

  get playerId(): string {
    return this.identity.playerId;
  }

  player(): PlayerState {
    return this.deps.players.get(this.playerId);
  }

  inputs(player = this.player()): RendererInputs {
    const cardId = player.playback.cardId;
    const card = this.#card && this.#card.cardId === cardId ? this.#card : undefined;
    const heard = this.#showing.liveHeard();
    return {
      player,
      playMode: this.playMode,
      trackSeconds: this.trackSeconds(player),
      ...(heard ? {livePosition: heard.at(player.playback)} : {}),
      ...(this.cast ? {cast: this.cast} : {}),
      ...(card ? {card} : {}),
      onRelay: cardId !== null && this.deps.announcer.isRelayCard(cardId),
      muted: this.deps.mutes.muted(this.playerId),
      mutedLevel: this.deps.mutes.mutedLevel(this.playerId),
    };
  }

  variables(service: ServiceKey, player?: PlayerState): Variables {
    const i = this.inputs(player);
    if (service === "AVTransport") return avTransportVariables(i);
    if (service === "RenderingControl") return renderingVariables(i);
    return {SourceProtocolInfo: "", SinkProtocolInfo: sinkProtocolInfo(), CurrentConnectionIDs: "0"};
  }

  /** A cast started: the player's card now is what it replaces. */
  castStarted(cast: Cast): void {
    cast.started = true;
    this.cast = cast;
    const before = this.player().playback.cardId;
    // Already on the relay card (it was asked to play before this): any other card now ends the cast.
    const onRelay = before !== null && this.deps.announcer.isRelayCard(before);
    this.#castFrom = onRelay ? {before, seen: before} : {before};
    this.changed();
  }

  /** The length of what plays now, when known: a cast's track, else the card track's (kept across a seek). */
  trackSeconds(player = this.player()): number | undefined {
    const cast = this.cast;
    // Set and not yet played: the length its DIDL-Lite gives (a FLAC from a pipe has none in STREAMINFO).
    if (cast && !cast.started && !cast.queue && cast.target?.kind !== "live") return declaredDuration(cast.metadata);
    if (cast?.queue) {
      const track = cast.queue.current()?.track;
      return track && track.seconds > 0 ? track.seconds : track?.declaredSeconds;
    }
    // A live stream has no length, whatever the relay track said last (the speech over it).
    if (cast?.started && cast.live) return undefined;
    if (cast?.started && player.playback.cardId !== null && this.deps.announcer.isRelayCard(player.playback.cardId))
      return undefined;
    return this.#lengths.of(player.playback);
  }

  /** The player moved: a cast whose card gave way to another is over; events go out for what changed. */
  playerChanged(player: PlayerState): void {
    const cardId = player.playback.cardId;
    this.#lengths.seen(player.playback);
    const queue = this.cast?.queue;
    const onRelay = cardId !== null && this.deps.announcer.isRelayCard(cardId);
    if (onRelay) {
      queue?.paused(player.playback.status === "paused");
      // A paused live cast is not read: its source waits where the player is, and so do its titles.
      this.cast?.live?.paused(player.playback.status === "paused");
    }
    // Put back after an announcement (or started behind it): shown as it was until the player is so
    // again. The speech itself playing is not the cast playing: a Next during it showed STOPPED
    // between the speech's end and the next track's start.
    const cast = this.cast;
    const back = cast?.announcedOver === "PAUSED_PLAYBACK" ? "paused" : "playing";
    if (
      cast?.announcedOver &&
      player.playback.status === back &&
      !cast.queue?.interrupted &&
      !cast.live?.interrupted &&
      !this.deps.announcer.speaking(this.playerId)
    )
      cast.announcedOver = undefined;
    // A card put in by hand after a URI was set (and not played) is what the player plays now.
    const pending = this.cast && !this.cast.started && !this.cast.starting;
    if (pending && cardId !== null && cardId !== this.cast?.setOn) {
      this.cast?.prefetch?.drop();
      this.cast?.queue?.stop();
      this.cast?.live?.stop();
      this.cast = undefined;
    }
    const from = this.#castFrom;
    if (this.cast?.started && from) {
      if (from.seen === undefined && cardId !== from.before) from.seen = cardId;
      else if (from.seen !== undefined && cardId !== null && cardId !== from.seen) {
        this.cast.queue?.stop();
        this.cast.live?.stop();
        this.cast = undefined;
        this.#castFrom = undefined;
      }
    }
    if (cardId !== null && this.#card?.cardId !== cardId) {
      const card: {cardId: string; title?: string; image?: string; tracks?: number} = {cardId};
      this.#card = card;
      void this.deps.players
        .cardSummary(cardId)
        .then((summary) => {
          if (!summary || this.#card !== card) return;
          card.title = summary.title;
          card.image = summary.image;
          card.tracks = summary.tracks;
          this.changed();
        })
        .catch((err) => this.deps.log.info(`No title for card ${cardId}: ${errorMessage(err)}`));
    }
    this.#showing.playerChanged(player, onRelay);
    this.changed();
  }

  /** Send each subscribed service what changed, soon (at most every EVENT_INTERVAL_MS). */
  changed(): void {
    this.#showing.changed();
    const title = this.castTitle() ?? null;
    if (title !== this.#castTitle) {
      this.#castTitle = title;
      this.#tellTitle();
    }
    for (const service of ["AVTransport", "RenderingControl"] as const) {
      if (this.#timers.has(service) || this.subs.of(service).length === 0) continue;
      const since = Date.now() - (this.#lastSentAt.get(service) ?? 0);
      const wait = Math.max(0, EVENT_INTERVAL_MS - since);
      this.#timers.set(
        service,
        setTimeout(() => {
          this.#timers.delete(service);
          void this.#flush(service);
        }, wait),
      );
    }
  }

  /**
   * Send what an action changed now (still at most every EVENT_INTERVAL_MS) and wait, a bounded
   * while, until it is written to the caller's own subscriptions: the action's answer then follows
   * the event. Home Assistant sends Play after SetAVTransportURI only if the transport its events
   * told it of is not PLAYING; answered before the event, it still believed the card played and never
   * spoke. Not until the caller answered it: a control point that reads its events only once its
   * call returned (GUPnP's blocking calls) cannot, and an event held that long was lost there now and
   * then. Other subscribers are not waited for: one whose callback never answers slows nobody else.
   */
  async settle(service: ServiceKey, caller: string): Promise<void> {
    if (service === "ConnectionManager" || !this.subs.of(service).some((sub) => sub.address === caller)) return;
    const since = Date.now() - (this.#lastSentAt.get(service) ?? 0);
    if (since < EVENT_INTERVAL_MS) await new Promise((resolve) => setTimeout(resolve, EVENT_INTERVAL_MS - since));
    const timer = this.#timers.get(service);
    if (timer) clearTimeout(timer);
    this.#timers.delete(service);
    const sends = this.#flush(service)
      .filter((send) => send.address === caller)
      .map((send) => send.written);
    if (sends.length === 0) return;
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(sends), new Promise((resolve) => (bound = setTimeout(resolve, SETTLE_MS)))]);
    clearTimeout(bound);
  }

  /** The title goes out at most once a second (a stream may send a new ICY title every few bytes). */
  #tellTitle(): void {
    if (this.#titleTimer) return;
    const wait = Math.max(0, TITLE_INTERVAL_MS - (Date.now() - this.#titleToldAt));
    this.#titleTimer = setTimeout(() => {
      this.#titleTimer = undefined;
      this.#titleToldAt = Date.now();
      this.deps.castTitleChanged?.(this.#castTitle);
    }, wait);
  }

  /** The title of the track a cast plays now on the relay card, or starts there (castShowing.ts). */
  castTitle(): string | undefined {
    return this.#showing.title(this.player());
  }

  /** What a cast plays now, as a media player, the panel and the history show it (castShowing.ts). */
  castNow(): CastNow | undefined {
    return this.#showing.now(this.player());
  }

  #flush(service: ServiceKey): Array<{address: string; written: Promise<void>}> {
    let now: Variables;
    try {
      now = this.variables(service);
    } catch {
      return []; // The player went: the renderer is being removed.
    }
    const delta = changed(this.#sent.get(service), now);
    this.#sent.set(service, now);
    if (Object.keys(delta).length === 0) return [];
    this.#lastSentAt.set(service, Date.now());
    // Bytes once for every subscriber of the burst.
    const body = Buffer.from(eventBody(service, delta), "utf8");
    // A subscription still waiting for its initial event (SEQ 0) gets the whole state then, this included.
    return this.subs
      .of(service)
      .filter((sub) => sub.seq > 0)
      .map((sub) => ({address: sub.address, written: this.subs.send(sub, body)}));
  }

  /** The initial event of a new subscription: every evented variable (SEQ 0). */
  initialEvent(service: ServiceKey, sid: string): void {
    const sub = this.subs.of(service).find((s) => s.sid === sid);
    if (!sub) return;
    const now = this.variables(service);
    if (!this.#sent.has(service)) this.#sent.set(service, now);
    void this.subs.send(sub, eventBody(service, now));
  }

  stop(): void {
    this.cast?.queue?.stop();
    this.cast?.live?.stop();
    clearTimeout(this.#titleTimer);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.subs.clear();
  }
}
