import type {AnnounceResumed} from "../shared/api/announce.js";
import type {PlayerState} from "../yoto/playerModel.js";

const ON_A_CARD = new Set(["playing", "loading", "paused"]);

/**
 * Where each player is on its card, estimated between its reports: a player reports its position
 * now and then, and an announcement must put the story back at the second it had reached.
 */
export class PlayerPositions {
  /** When each player's reported position last moved. */
  readonly #movedAt = new Map<string, number>();

  /** Every change of a player: note when its position or status last moved. */
  changed(player: PlayerState, previous: PlayerState): void {
    if (player.playback.position !== previous.playback.position || player.playback.status !== previous.playback.status)
      this.#movedAt.set(player.id, Date.now());
  }

  /** The card the player is on (not the relay), with the position it has reached by now. */
  whereItIs(player: PlayerState, relayCardId: string): AnnounceResumed | undefined {
    const pb = player.playback;
    if (!ON_A_CARD.has(pb.status) || !pb.cardId || pb.cardId === relayCardId) return undefined;
    const since = this.#movedAt.get(player.id);
    const elapsed = pb.status === "playing" && since !== undefined ? (Date.now() - since) / 1000 : 0;
    const position = pb.position === undefined ? undefined : Math.max(0, Math.floor(pb.position + elapsed));
    return {
      cardId: pb.cardId,
      ...(pb.status === "paused" ? {paused: true} : {}),
      ...(pb.chapterKey !== undefined ? {chapterKey: pb.chapterKey} : {}),
      ...(pb.trackKey !== undefined ? {trackKey: pb.trackKey} : {}),
      ...(position !== undefined ? {position} : {}),
    };
  }
}

/** The same card, chapter, track and pause (the position moves on by itself). */
export function samePlace(a: AnnounceResumed | undefined, b: AnnounceResumed | undefined): boolean {
  return (
    a?.cardId === b?.cardId && a?.chapterKey === b?.chapterKey && a?.trackKey === b?.trackKey && a?.paused === b?.paused
  );
}
