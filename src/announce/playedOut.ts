import type {EventBus} from "../core/events.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {Clip} from "./clips.js";
import {untilPlayer} from "./untilPlayer.js";

export interface PlayedOutDeps {
  bus: EventBus;
  players: {get(idOrName: string): PlayerState};
  /** Beyond the audio's own length: how long the relay may take to start and finish. */
  slackMs?: number;
}

const PLAYING = new Set(["playing", "loading"]);

/**
 * Wait for the relay to play out: the player reports the relay card, then stops or moves on.
 * `free` is false when someone chose something else meanwhile (then nothing is resumed).
 */
export async function playedOut(
  deps: PlayedOutDeps,
  playerId: string,
  relayCardId: string,
  clip: Clip,
  signal: AbortSignal,
): Promise<{how: string; free: boolean; failed?: unknown}> {
  const slack = deps.slackMs ?? 20_000;
  const onRelay = (p: PlayerState) => p.playback.cardId === relayCardId;
  const cancelled = {how: "cancelled while it played", free: true};
  if (!(await untilPlayer(deps, playerId, onRelay, slack, signal))) {
    if (signal.aborted) return cancelled;
    // It never showed the relay card: whatever it plays now was not interrupted by us.
    const now = deps.players.get(playerId).playback;
    return {how: "the player never reported the announcement's card", free: !PLAYING.has(now.status)};
  }
  const startedAt = Date.now();
  // Speech is still being encoded as it starts: its length is known once it is all made.
  const failed = await clip.finished.then(
    () => undefined,
    (err: unknown) => err,
  );
  const seconds = clip.seconds;
  const left = await untilPlayer(
    deps,
    playerId,
    // Paused on the relay is over too: quiet hours beginning pause it, and so may a child.
    (p) => !onRelay(p) || p.playback.status === "stopped" || p.playback.status === "paused",
    seconds * 1500 + slack,
    signal,
  );
  if (failed) return {how: "its audio could not be made", free: true, failed};
  if (signal.aborted) return cancelled;
  if (!left) return {how: "the player did not report the end; timed out", free: true};
  const pb = deps.players.get(playerId).playback;
  if (pb.cardId === relayCardId && pb.status === "paused") return {how: "paused during it", free: true};
  if (pb.cardId && pb.cardId !== relayCardId && PLAYING.has(pb.status))
    return {how: "another card was started during it", free: false};
  return {how: endedHow((Date.now() - startedAt) / 1000, seconds), free: true};
}

/**
 * How a relay that stopped ended: to its end, or stopped early (the card taken out, Stop pressed).
 * Players report a moment late, so within a second (a tenth of a longer one, at most two) is the
 * end; two seconds of a six-second message called four seconds of it "played to the end".
 */
export function endedHow(heardSeconds: number, seconds: number): string {
  const slack = Math.min(2, Math.max(1, seconds / 10));
  if (!(seconds > 0) || heardSeconds >= seconds - slack) return "played to the end";
  const total = Math.round(seconds);
  return heardSeconds < 1
    ? `stopped at its start (of ${total} s)`
    : `stopped after ${Math.round(heardSeconds)} s of ${total} s`;
}
