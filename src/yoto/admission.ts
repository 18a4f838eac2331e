import {AppError} from "../core/errors.js";
import type {PlayerCommand} from "./commands.js";

/**
 * The player commands that start or move sound: a card, a card group, Play and Play again, Next,
 * Previous and a seek (a paused player sent to a second plays from there). Everything else (pause,
 * stop, the volume, lights, settings, an icon) never does, and passes as it is.
 */
export type StartCommand = Extract<
  PlayerCommand,
  {command: "play_card" | "play_group" | "seek" | "play" | "resume" | "next" | "previous"}
>;
export type QuietCommand = Exclude<PlayerCommand, StartCommand>;

const STARTS: ReadonlySet<string> = new Set<StartCommand["command"]>([
  "play_card",
  "play_group",
  "play",
  "resume",
  "next",
  "previous",
  "seek",
]);

export function startsSound(command: PlayerCommand): command is StartCommand {
  return STARTS.has(command.command);
}

/** The names of the commands that start sound, for the docs and the gate's tests. */
export const START_COMMANDS: readonly StartCommand["command"][] = [...STARTS] as StartCommand["command"][];

declare const admitted: unique symbol;

/**
 * A start the play gate let through, for one player, for a short while: the only thing with which a
 * command that starts sound reaches the players. Its type cannot be written by hand (the symbol is
 * not exported), and the players check at run time that their own `Admissions` issued it.
 */
export interface Admission {
  readonly playerId: string;
  readonly [admitted]: true;
}

/** Long enough for a card made and written before it plays (a stream's first card), short enough that none is kept. */
const VALID_MS = 5 * 60_000;

/**
 * Where admissions are issued and checked. Built with the players and handed to the play gate
 * alone (the composition root does it): whoever holds it can start sound anywhere.
 */
export class Admissions {
  readonly #issued = new WeakMap<object, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  issue(playerId: string): Admission {
    const admission = Object.freeze({playerId});
    this.#issued.set(admission, this.#now());
    return admission as unknown as Admission;
  }

  /** Throws, naming the command, unless `admission` was issued here, for this player, a moment ago. */
  check(admission: Admission | undefined, playerId: string, command: StartCommand): void {
    const at = admission === undefined ? undefined : this.#issued.get(admission);
    if (at !== undefined && admission?.playerId === playerId && this.#now() - at <= VALID_MS) return;
    throw new AppError(
      "not_admitted",
      `'${command.command}' starts sound and was not let through the play gate: every start is asked there first (this is a fault in the service, please report it)`,
    );
  }
}
