import {AppError, errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {AnnounceOutcome} from "../shared/api/announce.js";
import {type PlayerState, VOLUME_PERCENTS} from "../yoto/playerModel.js";
import {cancelledError} from "./announceQueue.js";
import type {AnnouncerPlayers, OwnStart} from "./announcerPlayers.js";
import type {Clip, Clips} from "./clips.js";
import {type AnnouncerQuiet, type InQuiet, leftAsleep} from "./inQuiet.js";
import {playedOut} from "./playedOut.js";
import {type PlayerPositions, samePlace} from "./positions.js";
import type {PutBack} from "./putBack.js";
import {type RelayCards, startRelay} from "./relayCards.js";
import type {AnnounceRequest} from "./request.js";
import type {CastAfter} from "./resumable.js";

const PLAYING = new Set(["playing", "loading"]);

/** What an announcement uses of the announcer's options. */
export interface AnnouncementOptions {
  players: AnnouncerPlayers;
  /** The gate's admission for an announcement's relay card. */
  ownStart: OwnStart;
  relayCards: RelayCards;
  clips: Clips;
  bus: EventBus;
  log: Logger;
  /** Beyond the audio's own length: how long the relay may take to start and finish (tests shorten it). */
  slackMs?: number;
  quiet?: AnnouncerQuiet;
}

/** The player's relay as the announcer shares it with the streams it plays. */
export interface AnnouncementRelay {
  /** The relay is the announcement's now: a stream followed there is let go, and its track serves `clip`. */
  take(playerId: string, clip: Clip): void;
  /** The speech was heard (or cut): the player is no longer saying it, whatever is put back after. */
  spoken(playerId: string): void;
  /** A control point started something new during the speech: nothing interrupted is put back. */
  takenOver(playerId: string): boolean;
  /** The announcement is over: its clip is off the relay, unless something else took it. */
  release(playerId: string, clip: Clip): void;
  /** A stream on the relay that the announcement puts back after it (a cast), held: undefined when there is none. */
  hold(playerId: string): Clip | undefined;
  /** The held stream on the relay card again, where it was; answers the card started. */
  putBack(playerId: string, relayCardId: string, clip: Clip): Promise<string>;
  /** The held stream is not put back, and why. */
  abandon(playerId: string, clip: Clip, why: string): Promise<void>;
}

/**
 * One announcement at a time on a player, from its audio to the card put back: the announcer's
 * queue decides whose turn it is, this does the turn.
 */
export class Announcements {
  readonly #opts: AnnouncementOptions;
  readonly #stats: {played: number; skipped: number; failed: number};
  readonly #putBack: PutBack;
  readonly #positions: PlayerPositions;
  readonly #relay: AnnouncementRelay;

  constructor(
    opts: AnnouncementOptions,
    parts: {
      stats: {played: number; skipped: number; failed: number};
      putBack: PutBack;
      positions: PlayerPositions;
      relay: AnnouncementRelay;
    },
  ) {
    this.#opts = opts;
    ({stats: this.#stats, putBack: this.#putBack, positions: this.#positions, relay: this.#relay} = parts);
  }

  /**
   * One announcement on a player whose turn it is: its audio made, where it was saved, the relay
   * played out, then the card it played put back. Counted in `stats`.
   */
  async run(
    playerId: string,
    request: AnnounceRequest,
    inQuiet: InQuiet,
    signal: AbortSignal,
  ): Promise<AnnounceOutcome> {
    const {players, clips, log} = this.#opts;
    let player = players.get(playerId);
    const outcome = {player: player.name, playerId};
    if (!player.online)
      throw new AppError("player_offline", `'${player.name}' is offline, so it cannot announce anything`, {
        status: 409,
      });
    if (request.onlyIfIdle && PLAYING.has(player.playback.status)) {
      this.#stats.skipped++;
      return {
        ...outcome,
        result: "skipped",
        detail: `'${player.name}' is playing, and this announcement was only for when it is idle`,
      };
    }
    const {clip, ready} = await this.#prepare(playerId, player.name, request, signal);
    let saved = false;
    let held: Clip | undefined;
    let castPaused = false;
    let cast: CastAfter | undefined;
    let ended: {how: string; free: boolean; failed?: unknown};
    try {
      let {relay, interrupted, volumeBefore} = await ready;
      saved = true;
      if (signal.aborted) throw cancelledError(player.name);
      player = players.get(playerId);
      // The player changed while the audio was made (a card started a moment before): save that instead.
      const now = this.#positions.whereItIs(player, relay.cardId);
      if (!samePlace(now, interrupted) || player.volume.percent !== volumeBefore) {
        ({interrupted, volumeBefore} = await this.#putBack.save(playerId, request, relay.cardId));
      }
      // Quiet (it may have become so while the audio was made): heard through it, or left asleep.
      const quiet = this.quietNow(playerId);
      if (quiet && inQuiet === "skip") return this.skippedQuiet(player);
      const lift = quiet ? await this.#opts.quiet?.lift(playerId) : undefined;
      // A cast playing on the relay is held, not ended: it goes on where it was after this (paused, if it was).
      castPaused = players.get(playerId).playback.status === "paused";
      held = this.#relay.hold(playerId);
      this.#relay.take(playerId, clip);
      try {
        const volume = request.volume ?? (lift ? VOLUME_PERCENTS[lift.volumeStep] : undefined);
        if (volume !== undefined) await players.command(playerId, {command: "volume", percent: volume});
        const cardId = await startRelay(this.#opts, player, relay.cardId, this.#opts.ownStart(playerId));
        ended = await playedOut(this.#opts, playerId, cardId, clip, signal);
      } finally {
        this.#relay.spoken(playerId);
        // Put the volume back even when the relay could not start; quiet again before anything resumes.
        if (request.volume !== undefined && volumeBefore !== undefined && !lift)
          await players.command(playerId, {command: "volume", percent: volumeBefore});
        await lift?.release();
      }
      // A control point cast something new meanwhile: that plays next, not the card it replaced.
      const takenOver = this.#relay.takenOver(playerId);
      const resumed =
        request.resume && interrupted && ended.free && !takenOver
          ? await this.#putBack.resume(playerId, interrupted)
          : null;
      if (held) cast = await this.#castAfter(playerId, relay.cardId, held, request, {...ended, paused: castPaused});
      // Speech that could not be made: the player heard what there was and is back; say why.
      if (ended.failed) throw ended.failed;
      // Cancelled with nothing to go back to: the relay must not play on.
      if (signal.aborted && !resumed && !cast?.resumed) await players.command(playerId, {command: "stop"});
      this.#stats.played++;
      log.info(`Announced ${clip.describe} on '${player.name}' (${clip.seconds.toFixed(1)} s, ${ended.how})`);
      return {
        ...outcome,
        result: signal.aborted ? "cancelled" : "played",
        detail:
          takenOver && request.resume && interrupted && ended.free
            ? `${ended.how}; a control point cast something new during it, which plays now instead of what it interrupted`
            : ended.how,
        seconds: Math.round(clip.seconds * 10) / 10,
        audio: clip.describe,
        resumed,
        ...(cast ? {cast} : {}),
      };
    } catch (err) {
      this.#stats.failed++;
      // The announcement failed with a cast held: it goes on where it was all the same.
      if (held && !cast) await this.#castAfter(playerId, undefined, held, request, {free: true, paused: castPaused});
      throw err;
    } finally {
      if (saved) await this.#putBack.forget(playerId, "A finished");
      this.#relay.release(playerId, clip);
      await clips
        .discard(clip)
        .catch((err) => log.warning(`An announcement's audio was not removed (${errorMessage(err)})`));
    }
  }

  /**
   * A cast the announcement played over: put back on the relay card where it was (paused if it was,
   * or was paused during the announcement), unless the announcement was not to resume (a parent's
   * "not tonight"), a child chose something else meanwhile, or the player is quiet now. What could
   * not be put back ends, and the one who cast it is told why.
   */
  async #castAfter(
    playerId: string,
    relayCardId: string | undefined,
    held: Clip,
    request: AnnounceRequest,
    ended: {free: boolean; paused: boolean},
  ): Promise<CastAfter> {
    const title = held.resumable?.title() ?? held.describe;
    // Moved on by its control point while the announcement played (Next, Previous, a seek): the
    // cast goes on from there after it, and the announcement says so.
    const goesOn = held.resumable?.goesOn?.();
    if (goesOn) {
      await this.#relay.abandon(playerId, held, "moved on during the announcement");
      return {title: goesOn, resumed: true};
    }
    // Stopped or replaced by its control point while the announcement played: nothing to put back.
    if (held.resumable?.over()) {
      const gone = "its control point stopped it or played something else during the announcement";
      await this.#relay.abandon(playerId, held, gone);
      return {title, resumed: false, why: gone};
    }
    const why = !request.resume
      ? "the announcement was not to resume what played"
      : !ended.free
        ? "another card was started during the announcement"
        : this.#opts.quiet?.refusal(playerId);
    if (!why)
      try {
        const player = this.#opts.players.get(playerId);
        const cardId = relayCardId ?? (await this.#opts.relayCards.ensure(player)).cardId;
        // Paused on the relay now (a Pause during the announcement), or before it: back, paused.
        const paused =
          ended.paused ||
          held.resumable?.paused?.() === true ||
          (player.playback.cardId === cardId && player.playback.status === "paused");
        await this.#relay.putBack(playerId, cardId, held);
        if (paused) await this.#opts.players.command(playerId, {command: "pause"});
        return {title, resumed: true};
      } catch (err) {
        const failed = `it could not be started again after the announcement: ${errorMessage(err)}`;
        await this.#relay.abandon(playerId, held, failed);
        return {title, resumed: false, why: failed};
      }
    await this.#relay.abandon(playerId, held, why);
    return {title, resumed: false, why};
  }

  /**
   * The audio made, the relay card looked up and where the player is saved, none of it touching the
   * player; undone when the audio fails or the announcement is cancelled meanwhile.
   */
  async #prepare(playerId: string, name: string, request: AnnounceRequest, signal: AbortSignal) {
    const clips = this.#opts.clips;
    // While the audio is prepared (speech takes longest), the relay card is looked up (made, the
    // first time) and where the player is gets saved: neither touches the player.
    const ready = this.#putBack.ready(playerId, request, signal);
    ready.catch(() => undefined);
    let clip: Clip;
    try {
      clip = await clips.prepare(request, signal);
    } catch (err) {
      await this.#putBack.unready(playerId, ready);
      // Cancelled while its audio was being fetched: that is the answer, not the aborted download.
      if (signal.aborted) throw cancelledError(name);
      this.#stats.failed++;
      throw err;
    }
    if (signal.aborted) {
      await this.#putBack.unready(playerId, ready);
      await clips.discard(clip);
      throw cancelledError(name);
    }
    return {clip, ready};
  }

  /** The player's quiet hours while they last (one whose end has passed but waits to be undone is over). */
  quietNow(playerId: string): {until: number} | undefined {
    const period = this.#opts.quiet?.period(playerId);
    return period && period.until > Date.now() ? period : undefined;
  }

  /** Left asleep in quiet hours: counted as skipped, with why. */
  skippedQuiet(player: PlayerState): AnnounceOutcome {
    this.#stats.skipped++;
    return leftAsleep(player, this.#opts.quiet?.refusal(player.id) ?? `'${player.name}' is quiet`);
  }
}
