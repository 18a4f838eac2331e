import type {PlayerState} from "../yoto/playerModel.js";
import {type CastNow, castShown, castWords} from "./castNow.js";
import type {LiveCast} from "./liveCast.js";
import {LiveHeard} from "./liveHeard.js";
import type {Cast} from "./rendererState.js";

/** What of its renderer a cast's showing reads. */
export interface ShowingOf {
  readonly cast?: Cast;
  readonly playerId: string;
  readonly deps: {announcer: {isRelayCard(cardId: string): boolean; speaking(playerId: string): boolean}};
  trackSeconds(player: PlayerState): number | undefined;
}

/**
 * How a renderer's cast is shown (the media player, the admin API, the panel, the history) before,
 * during and after an announcement over it: in its own words while it plays on the relay card, with
 * its own state, position and length while an announcement plays over it, and by what it played
 * last once it ended there. Never the relay card's "Announcement", and never the speech's numbers.
 */
export class CastShowing {
  /** Seconds heard of the live cast playing, across the announcements over it (liveHeard.ts). */
  #heard?: {live: LiveCast; heard: LiveHeard};
  /** What the relay card played last, when a cast: the player stopped there is named by it. */
  #lastWords?: Pick<CastNow, "title" | "artist" | "album">;

  constructor(readonly r: ShowingOf) {}

  /** The live cast's seconds heard, while one is cast. */
  liveHeard(): LiveHeard | undefined {
    const live = this.r.cast?.started ? this.r.cast.live : undefined;
    if (!live) return undefined;
    if (this.#heard?.live !== live) this.#heard = {live, heard: new LiveHeard()};
    return this.#heard.heard;
  }

  /** The renderer's state changed: an announcement that took the relay from a live cast holds its position. */
  changed(): void {
    if (this.r.cast?.announcedOver) this.liveHeard()?.hold();
  }

  /** The player moved (after the renderer settled what its cast is now). */
  playerChanged(player: PlayerState, onRelay: boolean): void {
    const heard = this.liveHeard();
    if (heard && !this.r.cast?.announcedOver) {
      heard.release();
      if (onRelay) heard.seen(player.playback);
    }
    // What the relay card plays, a cast or not, is what names the player once it stops there.
    if (onRelay && player.playback.status !== "stopped") {
      const words = this.now(player);
      this.#lastWords = words && {
        title: words.title,
        ...(words.artist !== undefined ? {artist: words.artist} : {}),
        ...(words.album !== undefined ? {album: words.album} : {}),
      };
    }
  }

  /** The title of the track heard now while a cast plays on the relay card, or starts there. */
  title(player: PlayerState): string | undefined {
    const cast = this.onRelay(player);
    if (!cast) return undefined;
    return cast.live ? (cast.live.title ?? cast.title) : (cast.queue?.current()?.track.title ?? cast.title);
  }

  /** What a cast plays now (castNow.ts); once it ended on the relay card, what it played last. */
  now(player: PlayerState): CastNow | undefined {
    const cast = this.onRelay(player);
    if (cast)
      return castWords(cast, player.playback, this.r.trackSeconds(player), this.liveHeard()?.at(player.playback));
    const {cardId, lastCardId, status} = player.playback;
    const stoppedOnRelay =
      cardId === null && status !== "playing" && lastCardId !== undefined && this.#isRelay(lastCardId);
    return stoppedOnRelay ? this.#lastWords : undefined;
  }

  /**
   * The cast shown now when it plays on the relay card (a queue or a live stream); a card or stream
   * cast plays as itself. Not while the player shows another card, nor while the relay card says an
   * announcement that does not play over it (the cast ended before): those are not the cast's. An
   * announcement over it shows the cast, as its control point sees it, until it is back.
   */
  onRelay(player: PlayerState): Cast | undefined {
    const cardId = player.playback.cardId;
    const onRelay = cardId !== null && this.#isRelay(cardId);
    const cast = castShown(this.r.cast, () => onRelay);
    if (!cast?.queue && !cast?.live) return undefined;
    if (cast.announcedOver) return cast;
    return onRelay && !this.r.deps.announcer.speaking(this.r.playerId) ? cast : undefined;
  }

  #isRelay(cardId: string): boolean {
    return this.r.deps.announcer.isRelayCard(cardId);
  }
}
