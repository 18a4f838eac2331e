import {errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {PlayRequest, Start} from "../gate/types.js";
import type {AnnounceOutcome, AnnounceResumed} from "../shared/api/announce.js";
import {Announcements} from "./announcements.js";
import {AnnounceQueue, type Cancelled} from "./announceQueue.js";
import type {AnnouncerPlayers, OwnStart} from "./announcerPlayers.js";
import type {Clip, Clips} from "./clips.js";
import {type AnnounceFailure, type AnnouncerQuiet, announceEach, inQuietFor} from "./inQuiet.js";
import type {PendingRestores} from "./pendingRestores.js";
import {PlayerPositions} from "./positions.js";
import {PutBack} from "./putBack.js";
import {type RelayCard, type RelayCards, startRelay} from "./relayCards.js";
import {RelayStreams} from "./relayStreams.js";
import {type AnnounceRequest, parseAnnounceRequest} from "./request.js";

export type {AnnounceOutcome, AnnouncerPlayers};

/** How a stream is played: the start the gate asks (or let through), and what may call it off. */
export interface StreamHow {
  start: Start;
  signal?: AbortSignal;
}

/** Where a player was when an announcement interrupted it: what it goes back to (position estimated to the relay's start). */
export type Interrupted = AnnounceResumed;

export interface AnnouncerOptions {
  players: AnnouncerPlayers;
  /** The gate's admission for the announcer's own starts (an announcement, the card it puts back). */
  ownStart: OwnStart;
  relayCards: RelayCards;
  clips: Clips;
  /**
   * What a crash mid-announcement must put back, saved before the player is touched: made with the
   * announcer's own restore, which nothing outside it can call (it starts a card with `ownStart`).
   */
  restores: (restore: (playerId: string, at: Interrupted) => Promise<Interrupted>) => PendingRestores;
  bus: EventBus;
  log: Logger;
  /** Beyond the audio's own length: how long the relay may take to start and finish (tests shorten it). */
  slackMs?: number;
  /** Quiet hours: an announcement to a quiet player is lifted through them, or skipped. */
  quiet?: AnnouncerQuiet;
}

/**
 * Announcements on a player: remember what it played and where, play the audio through the
 * player's relay card, follow its events until the relay ends, then start the previous card at
 * its chapter, track and second and put the volume back. One announcement at a time per player;
 * others wait their turn. Audio is prepared before the player is touched, so a failing speech
 * engine or URL leaves it playing as it was.
 */
export class Announcer implements Service {
  readonly name = "announcer";
  readonly #opts: Omit<AnnouncerOptions, "restores"> & {restores: PendingRestores};
  /** Announcements to one player wait for each other, a bounded few at a time. */
  readonly #queue = new AnnounceQueue();
  readonly #playing = new Map<string, Clip>();
  readonly #positions = new PlayerPositions();
  readonly #putBack: PutBack;
  readonly #announcements: Announcements;
  /** Players whose interrupted card is being put back after a restart (outside the queue). */
  readonly #restoring = new Set<string>();
  /** URLs played as streams, followed until they end (playUrl answers when they start). */
  readonly #streams: RelayStreams;
  readonly stats = {played: 0, skipped: 0, failed: 0, streamed: 0};
  /** playUrl calls that may be called off, each its own (see playUrl). */
  #calls = 0;
  /**
   * Players saying an announcement now (from the relay taken to the speech's end): a control
   * point's Stop there ends its cast, not the speech.
   */
  readonly #speaking = new Set<string>();
  /** Players a control point started something new on while they spoke: nothing interrupted comes back after. */
  readonly #takenOver = new Set<string>();

  constructor(options: AnnouncerOptions) {
    const opts = {...options, restores: options.restores((playerId, at) => this.#restore(playerId, at))};
    this.#opts = opts;
    this.#putBack = new PutBack(opts, this.#positions);
    this.#announcements = new Announcements(opts, {
      stats: this.stats,
      putBack: this.#putBack,
      positions: this.#positions,
      relay: {
        take: (playerId, clip) => {
          this.#streams.end(playerId);
          this.#playing.set(playerId, clip);
          this.#speaking.add(playerId);
          this.#takenOver.delete(playerId);
        },
        spoken: (playerId) => this.#speaking.delete(playerId),
        takenOver: (playerId) => this.#takenOver.has(playerId),
        release: (playerId, clip) => {
          this.#speaking.delete(playerId);
          this.#takenOver.delete(playerId);
          if (this.#playing.get(playerId) === clip) this.#playing.delete(playerId);
        },
        hold: (playerId) => this.#streams.hold(playerId),
        putBack: (playerId, cardId, clip) =>
          this.#streams.putBack(this.#opts.players.get(playerId), cardId, clip, this.#opts.ownStart(playerId)),
        abandon: (playerId, clip, why) => this.#streams.abandon(playerId, clip, why),
      },
    });
    this.#streams = new RelayStreams({
      ...opts,
      slackMs: opts.slackMs ?? 20_000,
      stats: this.stats,
      done: (playerId, clip) => this.#letGo(playerId, clip),
      turn: {
        quiet: (id) => this.#opts.quiet?.refusal(id),
        reason: (id) => this.#opts.quiet?.reason?.(id),
        take: (id, clip) => this.#playing.set(id, clip),
        startRelay: async (p, id, start, label) =>
          startRelay(this.#opts, p, id, await this.#opts.players.admit(p.id, start), label),
      },
    });
  }

  async start(): Promise<void> {
    await this.#opts.clips.start();
    await this.#opts.relayCards.start();
    await this.#opts.restores.start();
    this.#opts.bus.on(this, "player.changed", ({player, previous}) => this.#positions.changed(player, previous));
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    this.#streams.stop();
    this.#opts.clips.stop();
    await this.#opts.restores.stop();
    this.#opts.relayCards.stop();
  }

  health() {
    const {relayCards, restores} = this.#opts;
    const counts = {relayCards: relayCards.list().length, restoresPending: restores.pending().length};
    return {details: {...this.stats, ...counts, announcing: this.#playing.size, streaming: this.#streams.size}};
  }

  /** Each player's relay card, as remembered. */
  relayCards(): RelayCard[] {
    return this.#opts.relayCards.list();
  }

  /** What makes audio ready to play: a renderer's queue prepares its tracks with it. */
  get clips(): Clips {
    return this.#opts.clips;
  }

  isRelayCard(cardId: string): boolean {
    return this.#opts.relayCards.list().some((card) => card.cardId === cardId);
  }

  /** The audio a player's relay track plays now, if an announcement is on. */
  clipFor(playerId: string): Clip | undefined {
    return this.#playing.get(playerId);
  }

  /**
   * Announce on one player (by id or name); resolves once it is over and the player is back. A
   * `broadcast` (several players at once, Home Assistant's `tts.speak`) leaves a player in quiet
   * hours asleep unless the request says `in_quiet: play`; one player named on purpose plays.
   * `how.start`: not an announcement but a library item played once (the catalogue's, Home
   * Assistant's `library:`), a start asked at the play gate before anything else.
   */
  async announce(
    playerRef: string,
    request: AnnounceRequest,
    how: {broadcast?: boolean; start?: Start} = {},
  ): Promise<AnnounceOutcome> {
    const player = this.#opts.players.get(playerRef);
    if (how.start) await this.#opts.players.admit(player.id, how.start, async () => "A library item");
    const inQuiet = inQuietFor(request.inQuiet, how.broadcast === true);
    // Answered at once: a skip never waits behind another announcement.
    const quiet = this.#announcements.quietNow(player.id);
    if (quiet && inQuiet === "skip") return Promise.resolve(this.#announcements.skippedQuiet(player));
    // The same request again while it still waits joins it: a burst of repeats plays once.
    const key = JSON.stringify({request, inQuiet});
    return this.#queue.enqueue(player.id, player.name, key, (signal) =>
      this.#announcements.run(player.id, request, inQuiet, signal),
    );
  }

  /**
   * Whether a player's playback is this service's own (an announcement on its relay card, or
   * the card it is putting back): not a child's play, so no request and no listening.
   */
  ownsPlayback(playerId: string, cardId: string | null | undefined): boolean {
    return (
      (typeof cardId === "string" && this.isRelayCard(cardId)) ||
      this.#queue.busy(playerId) ||
      this.#restoring.has(playerId)
    );
  }

  /** Drop the announcements waiting for a player and stop the one it is saying (then it goes back). */
  cancel(playerRef: string): {player: string; playerId: string; cancelled: Cancelled} {
    const player = this.#opts.players.get(playerRef);
    const cancelled = this.#queue.cancel(player.id, player.name);
    if (cancelled.waiting || cancelled.playing)
      this.#opts.log.info(
        `Cancelled on '${player.name}': ${cancelled.waiting} waiting${cancelled.playing ? ", and the one playing" : ""}`,
      );
    return {player: player.name, playerId: player.id, cancelled};
  }

  /**
   * Whether the player is saying an announcement now (not a stream, not the cast it puts back
   * after): a control point's Stop or new cast waits for its end rather than cutting it.
   */
  speaking(playerId: string): boolean {
    return this.#speaking.has(playerId);
  }

  /**
   * A control point started something new on the player while it speaks (Music Assistant's skip,
   * Home Assistant's play_media): it plays after the speech, and what the announcement interrupted
   * (a card) is not put back in between.
   */
  takeOver(playerId: string): void {
    if (this.#speaking.has(playerId)) this.#takenOver.add(playerId);
  }

  /** How many announcements wait for a player, and whether it is saying one now. */
  queued(playerRef: string): {waiting: number; playing: boolean} {
    const player = this.#opts.players.get(playerRef);
    return {waiting: this.#queue.waiting(player.id), playing: this.#queue.busy(player.id)};
  }

  /** The same announcement on several players at once; each answers for itself. */
  announceMany(playerRefs: string[], request: AnnounceRequest): Promise<Array<AnnounceOutcome | AnnounceFailure>> {
    return announceEach(playerRefs, (ref, broadcast) => this.announce(ref, request, {broadcast}));
  }

  /**
   * Play an http(s) audio URL on a player as playback, not as an announcement: fetched through the
   * fetch policy, played through its relay card with no chime, its volume untouched and nothing
   * resumed after; answered once the relay is asked to play. A start like any other: `how.start`
   * is asked at the play gate (refused while the plan holds the player), before anything is
   * fetched. `how.signal` calls it off (a renderer's Stop while it is still being fetched).
   */
  async playUrl(playerRef: string, url: string, how: StreamHow): Promise<AnnounceOutcome> {
    const request = parseAnnounceRequest({media: url, resume: false, chime: false});
    // A call that may be called off never joins another for the same URL.
    const key = JSON.stringify({stream: request.source, call: how.signal && ++this.#calls});
    return this.#stream(playerRef, request, key, how);
  }

  /** Audio the caller made (a renderer's queue, over once `clip.finished`), played as playUrl plays a URL's. */
  playClip(playerRef: string, clip: Clip, how: StreamHow): Promise<AnnounceOutcome> {
    // The request is not read: the audio is made.
    const request = parseAnnounceRequest({item: clip.id, resume: false, chime: false});
    return this.#stream(playerRef, request, JSON.stringify({clip: clip.id}), how, clip);
  }

  async #stream(playerRef: string, request: AnnounceRequest, key: string, how: StreamHow, clip?: Clip) {
    // In the announcements' queue: one under way finishes (and puts its card back) first.
    const player = this.#opts.players.get(playerRef);
    // Asked before anything is fetched; the relay's start carries the admission.
    const admission = await this.#opts.players.admit(player.id, how.start, async () => "Something to play");
    return this.#queue.enqueue(player.id, player.name, key, (signal) =>
      this.#streams.play(
        player.id,
        request,
        how.signal ? AbortSignal.any([signal, how.signal]) : signal,
        admission,
        clip,
      ),
    );
  }

  /** A stream's audio is over: off the relay (unless something else took it) and removed. */
  async #letGo(playerId: string, clip: Clip): Promise<void> {
    if (this.#playing.get(playerId) === clip) this.#playing.delete(playerId);
    await this.#opts.clips
      .discard(clip)
      .catch((err) => this.#opts.log.warning(`A stream's audio was not removed (${errorMessage(err)})`));
  }

  /**
   * A card Home Assistant's Stop interrupted before its announcement, put back where it was once the
   * announcement played: a start asked at the gate as `request` (refused, and journalled, while the
   * plan holds the player).
   */
  async putBackStopped(playerId: string, at: Interrupted, request: PlayRequest): Promise<Interrupted> {
    const admitted = await this.#opts.players.admit(playerId, request);
    return this.#putBack.resume(playerId, at, admitted);
  }

  /** A restore after a crash: quiet again if it was lifted, then the card where it was (the service's own play). */
  async #restore(playerId: string, at: Interrupted): Promise<Interrupted> {
    this.#restoring.add(playerId);
    try {
      await this.#opts.quiet?.remuteIfLifted(playerId);
      return await this.#putBack.resume(playerId, at);
    } finally {
      this.#restoring.delete(playerId);
    }
  }
}
