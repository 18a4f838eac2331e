import {errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {AnnounceResumed} from "../shared/api/announce.js";
import type {Admission} from "../yoto/admission.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {AnnouncerPlayers, OwnStart} from "./announcerPlayers.js";
import type {PendingRestores} from "./pendingRestores.js";
import type {PlayerPositions} from "./positions.js";
import type {RelayCard, RelayCards} from "./relayCards.js";
import type {AnnounceRequest} from "./request.js";
import {untilPlayer} from "./untilPlayer.js";

// How long an announcement waits for a player that has just come online to report its state.
const STATE_WAIT_MS = 3000;
const knownState = (p: PlayerState) => p.playback.status !== "unknown" || p.volume.percent !== undefined;

export interface PutBackOptions {
  players: AnnouncerPlayers;
  /** The gate's admission for the card put back where it was. */
  ownStart: OwnStart;
  relayCards: Pick<RelayCards, "ensure">;
  restores: Pick<PendingRestores, "save" | "forget">;
  bus: EventBus;
  log: Logger;
}

/** Where a player was and how loud, as saved before an announcement changes either. */
export interface WhereItWas {
  interrupted: AnnounceResumed | undefined;
  volumeBefore: number | undefined;
}

/**
 * What an announcement puts back: where the player was and how loud, saved (for a crash to put
 * back too) before the player is touched, and the card started again where it was once it is over.
 */
export class PutBack {
  readonly #opts: PutBackOptions;
  readonly #positions: PlayerPositions;

  constructor(opts: PutBackOptions, positions: PlayerPositions) {
    this.#opts = opts;
    this.#positions = positions;
  }

  /** The relay card, and what a crash from here on must put back, saved before the player is touched. */
  async ready(
    playerId: string,
    request: AnnounceRequest,
    signal: AbortSignal,
  ): Promise<{relay: RelayCard} & WhereItWas> {
    const relay = await this.#opts.relayCards.ensure(this.#opts.players.get(playerId));
    // A player that has said nothing yet (it has just come online or been listed): what would be
    // put back is not known, so it is given a moment to say so before anything changes on it.
    await untilPlayer(this.#opts, playerId, knownState, STATE_WAIT_MS, signal);
    return {relay, ...(await this.save(playerId, request, relay.cardId))};
  }

  /** Where the player is now, saved as what a crash must put back. */
  async save(playerId: string, request: AnnounceRequest, relayCardId: string): Promise<WhereItWas> {
    const player = this.#opts.players.get(playerId);
    const interrupted = this.#positions.whereItIs(player, relayCardId);
    const volumeBefore = player.volume.percent;
    await this.#opts.restores.save({
      playerId,
      relayCardId,
      ...(request.volume !== undefined && volumeBefore !== undefined ? {volume: volumeBefore} : {}),
      ...(request.resume && interrupted ? {interrupted} : {}),
      startedAt: new Date().toISOString(),
    });
    return {interrupted, volumeBefore};
  }

  /** The audio failed or was cancelled before the player was touched: nothing to put back. */
  async unready(playerId: string, ready: Promise<unknown>): Promise<void> {
    const saved = await ready.then(
      () => true,
      () => false,
    );
    if (saved) await this.forget(playerId, "An unused");
  }

  /** The saved restore is no longer needed (`whose`: a finished announcement's, an unused one's). */
  async forget(playerId: string, whose: "A finished" | "An unused"): Promise<void> {
    await this.#opts.restores
      .forget(playerId)
      .catch((err) => this.#opts.log.warning(`${whose} announcement's restore was not removed (${errorMessage(err)})`));
  }

  /**
   * The card where it was: its chapter, track and second, paused if it was. With the announcer's
   * own start (an announcement putting back what it interrupted), or a start the gate let through.
   */
  async resume(playerId: string, at: AnnounceResumed, admitted?: Admission): Promise<AnnounceResumed> {
    await this.#opts.players.command(
      playerId,
      {
        command: "play_card",
        cardId: at.cardId,
        ...(at.chapterKey !== undefined ? {chapter: at.chapterKey} : {}),
        ...(at.chapterKey !== undefined && at.trackKey !== undefined ? {track: at.trackKey} : {}),
        ...(at.chapterKey !== undefined && at.trackKey !== undefined && at.position ? {secondsIn: at.position} : {}),
      },
      admitted ?? this.#opts.ownStart(playerId),
    );
    // Until the player reports the card back, its play is still the announcement's (ownsPlayback):
    // a quiet child's story starting again must not read as the child pressing play.
    await untilPlayer(this.#opts, playerId, (p) => p.playback.cardId === at.cardId, STATE_WAIT_MS);
    // The player has no "load paused": start it where it was and pause it there at once.
    if (at.paused) {
      await this.#opts.players.command(playerId, {command: "pause"});
      await untilPlayer(this.#opts, playerId, (p) => p.playback.status !== "playing", STATE_WAIT_MS);
    }
    return at;
  }
}
