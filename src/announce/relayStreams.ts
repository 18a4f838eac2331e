import {AppError} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import {refusedError} from "../gate/playGate.js";
import type {AnnounceOutcome} from "../shared/api/announce.js";
import type {Admission} from "../yoto/admission.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {cancelledError} from "./announceQueue.js";
import type {Clip, Clips} from "./clips.js";
import type {RelayCards} from "./relayCards.js";
import type {AnnounceRequest} from "./request.js";
import {untilPlayer} from "./untilPlayer.js";

export interface RelayStreamsOptions {
  bus: EventBus;
  players: {get(idOrName: string): PlayerState};
  clips: Pick<Clips, "prepare">;
  relayCards: Pick<RelayCards, "ensure">;
  log: Logger;
  /** The announcer's counts: a stream started is `streamed`, one that could not start `failed`. */
  stats: {streamed: number; failed: number};
  /** The clip is no longer needed: off the relay (if it is still the one there) and its files removed. */
  done(playerId: string, clip: Clip): Promise<void>;
  /** How long the relay may take to start, and beyond the audio's length to finish. */
  slackMs: number;
  turn: StreamTurn;
}

/** A stream followed on a player's relay card; `held` while an announcement plays over it. */
interface Following {
  stop: AbortController;
  clip: Clip;
  held: boolean;
}

/** What a stream needs of the announcer whose queue it runs in. */
export interface StreamTurn {
  /** Why the player may not play now (quiet hours), or undefined. */
  quiet(playerId: string): string | undefined;
  /** Why the plan holds it (bedtime, the day's listening, quiet hours), for how the 409 says to end it. */
  reason(playerId: string): "bedtime" | "budget" | "quiet" | undefined;
  /** Put the clip on the player's relay (what its track serves). */
  take(playerId: string, clip: Clip): void;
  /** Start the relay card, titled `label` (a cast's title); answers the card that started (made again if it was deleted). */
  startRelay(player: PlayerState, cardId: string, start: Admission, label?: string): Promise<string>;
}

/**
 * URLs played as streams on players' relay cards (`Announcer.playUrl`): answered as soon as the
 * relay is asked to play, so each is followed here until the player leaves its relay card or
 * stops, and only then is its audio let go. A new announcement or stream on the player takes
 * the relay over and ends the follow.
 */
export class RelayStreams {
  readonly #opts: RelayStreamsOptions;
  readonly #following = new Map<string, Following>();

  constructor(opts: RelayStreamsOptions) {
    this.#opts = opts;
  }

  /**
   * Fetch the URL (through the fetch policy) and start it on the relay card, as a whole track:
   * converted while it plays, minutes long; answers once the relay card is asked to play.
   */
  async play(
    playerId: string,
    request: AnnounceRequest,
    signal: AbortSignal,
    admission: Admission,
    prepared?: Clip,
  ): Promise<AnnounceOutcome> {
    const {players, clips, stats} = this.#opts;
    const player = players.get(playerId);
    if (!player.online)
      throw new AppError("player_offline", `'${player.name}' is offline, so it cannot play anything`, {status: 409});
    // Called off while it waited its turn: nothing fetched.
    if (signal.aborted) throw cancelledError(player.name);
    const relay = this.#opts.relayCards.ensure(player);
    relay.catch(() => undefined);
    let clip: Clip;
    try {
      // Audio made by the caller (a renderer's queue) plays as it is.
      clip = prepared ?? (await clips.prepare(request, signal, {track: true}));
    } catch (err) {
      if (signal.aborted) throw cancelledError(player.name);
      stats.failed++;
      throw err;
    }
    try {
      const {cardId} = await relay;
      if (signal.aborted) throw cancelledError(player.name);
      // Quiet may have begun while the audio was fetched.
      const {turn} = this.#opts;
      const refusal = turn.quiet(playerId);
      if (refusal) throw refusedError(refusal, turn.reason(playerId));
      turn.take(playerId, clip);
      this.follow(playerId, await turn.startRelay(player, cardId, admission, clip.resumable?.title()), clip);
    } catch (err) {
      stats.failed++;
      await this.#opts.done(playerId, clip);
      throw err;
    }
    stats.streamed++;
    this.#opts.log.info(`Playing ${clip.describe} on '${player.name}' as a stream`);
    return {
      player: player.name,
      playerId,
      result: "played",
      detail: "started on its relay card as a stream; nothing is resumed after it",
      audio: clip.describe,
      resumed: null,
    };
  }

  /** Follow the clip now on the player's relay card until it is over. */
  follow(playerId: string, relayCardId: string, clip: Clip): void {
    this.end(playerId);
    const stop = new AbortController();
    const following: Following = {stop, clip, held: false};
    this.#following.set(playerId, following);
    const onRelay = (p: PlayerState) => p.playback.cardId === relayCardId;
    const {slackMs} = this.#opts;
    const played = async () => {
      if (!(await untilPlayer(this.#opts, playerId, onRelay, slackMs, stop.signal))) return;
      // A live clip's length is known once it is all made (a renderer's queue: once it played out).
      await clip.finished.catch(() => undefined);
      // A pause is not the end: a child may press play again on a long track.
      const over = (p: PlayerState) => !onRelay(p) || p.playback.status === "stopped";
      await untilPlayer(this.#opts, playerId, over, clip.seconds * 1500 + slackMs, stop.signal);
    };
    void (async () => {
      try {
        await played();
      } finally {
        if (this.#following.get(playerId) === following) this.#following.delete(playerId);
        // Held by an announcement: it is put back (or let go of) after it.
        if (!following.held) await this.#opts.done(playerId, clip);
      }
    })();
  }

  /** The relay is taken over (another announcement or stream): the one followed is let go. */
  end(playerId: string): void {
    this.#following.get(playerId)?.stop.abort();
    this.#following.delete(playerId);
  }

  /**
   * An announcement takes the relay from a stream it puts back after (a renderer's cast): no longer
   * followed, not let go of, its clock held. Undefined when the stream followed is not one (a URL
   * played once ends as before) or none is.
   */
  hold(playerId: string): Clip | undefined {
    const following = this.#following.get(playerId);
    if (!following?.clip.resumable) return undefined;
    following.held = true;
    this.#following.delete(playerId);
    following.stop.abort();
    following.clip.resumable.interrupt();
    return following.clip;
  }

  /** A held stream on the relay card again (the announcement is over), followed again; answers the card it started. */
  async putBack(player: PlayerState, relayCardId: string, clip: Clip, admission: Admission): Promise<string> {
    const {turn} = this.#opts;
    turn.take(player.id, clip);
    const cardId = await turn.startRelay(player, relayCardId, admission, clip.resumable?.title());
    this.follow(player.id, cardId, clip);
    return cardId;
  }

  /** A held stream is not put back: it ends (its caster told why) and its audio is let go of. */
  async abandon(playerId: string, clip: Clip, why: string): Promise<void> {
    clip.resumable?.abandon(why);
    await this.#opts.done(playerId, clip);
  }

  stop(): void {
    for (const {stop} of this.#following.values()) stop.abort();
    this.#following.clear();
  }

  get size(): number {
    return this.#following.size;
  }
}
