import {AppError, errorMessage} from "../core/errors.js";
import type {QuietLift} from "../parents/quietHours.js";
import type {AnnounceOutcome} from "../shared/api/announce.js";

/**
 * How an announcement meets a player in quiet hours (bedtime, a used-up budget, quiet set by
 * hand): `play` lifts its max volume for the announcement and puts quiet back after it; `skip`
 * leaves it asleep and answers at once.
 */
export type InQuiet = "play" | "skip";

export const IN_QUIET: readonly InQuiet[] = ["play", "skip"];

/** What the announcer needs of quiet hours (bound late: they are built after it). */
export interface AnnouncerQuiet {
  period(playerId: string): {until: number} | undefined;
  /** The one sentence a quiet player is refused with (until when), or undefined when it may play. */
  refusal(playerId: string): string | undefined;
  /** Why the plan holds it (a child's bedtime or day's listening, else quiet hours): how a 409 says to end it. */
  reason?(playerId: string): "bedtime" | "budget" | "quiet";
  lift(playerId: string): Promise<QuietLift | undefined>;
  /** Max volume 0 again for a player a stopped announcement left lifted (nothing when it is not). */
  remuteIfLifted(playerId: string): Promise<void>;
}

/**
 * The choice when the request makes none. One player named on purpose ("dinner is ready" to
 * Ben's room) plays; a broadcast (several players at once, or Home Assistant's `tts.speak`, which
 * is how doorbells and speaker groups announce) leaves a sleeping child asleep.
 */
export function inQuietFor(asked: InQuiet | undefined, broadcast: boolean): InQuiet {
  return asked ?? (broadcast ? "skip" : "play");
}

/** The answer to an announcement that left a quiet player asleep: at once, saying until when (its refusal). */
export function leftAsleep(player: {id: string; name: string}, refusal: string): AnnounceOutcome {
  return {
    player: player.name,
    playerId: player.id,
    result: "skipped",
    detail: `${refusal}; the announcement left it asleep (send in_quiet: "play" to announce through quiet hours)`,
  };
}

/** One player's failure among several: it answers for itself, the others go on. */
export interface AnnounceFailure {
  player: string;
  error: string;
  code: string;
}

/**
 * The same announcement on several players at once, each answering for itself. Several players is
 * a broadcast: a player in quiet hours is left asleep unless the request says `in_quiet: play`.
 */
export function announceEach(
  playerRefs: string[],
  announce: (ref: string, broadcast: boolean) => Promise<AnnounceOutcome>,
): Promise<Array<AnnounceOutcome | AnnounceFailure>> {
  const broadcast = playerRefs.length > 1;
  return Promise.all(
    playerRefs.map((ref) =>
      // An unknown player throws at once: inside the chain, so it answers for itself.
      Promise.resolve()
        .then(() => announce(ref, broadcast))
        .catch((err: unknown) => ({
          player: ref,
          error: errorMessage(err),
          code: err instanceof AppError ? err.code : "announce_failed",
        })),
    ),
  );
}
