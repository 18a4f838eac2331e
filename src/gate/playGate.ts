import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {within} from "../core/within.js";
import type {Admission, Admissions} from "../yoto/admission.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {ROUTE_WORDS} from "./routeWords.js";
import type {GateAnswer, PlayRequest} from "./types.js";

/** The same refusal on the same player is written (and logged at INFO) once in this long; the repeats only at DEBUG. */
const ONCE_IN_MS = 60_000;
const MAX_KEPT = 500;
/** How long a play is waited for before the answer says it was asked (Home Assistant waits seconds). */
export const ANSWER_WITHIN_MS = 5000;

/** Why the plan holds a player, and until when. */
export interface PlayHeld {
  reason: "bedtime" | "budget" | "quiet";
  /** The child whose plan holds it (bedtime, budget). */
  child?: string;
  until?: number;
}

export interface PlayGateDeps {
  /** Where admissions are issued: the players' own, so only what the gate let through starts sound. */
  admissions: Admissions;
  /** The one sentence a quiet player is refused with (quiet hours, bedtime, the day's listening), or undefined. */
  refusal(playerId: string): string | undefined;
  /** Why the plan holds the player, when a child's plan does (bedtime, budget), and until when. */
  held(playerId: string): PlayHeld | undefined;
  /** Writes a line in the journal of the child on that player (the family plan's). */
  journal(playerId: string, text: string): Promise<void>;
  /** Whether Yoto's cloud is reachable now: a command sent without it waits long for nothing. */
  cloudConnected(): boolean;
  log: Logger;
  now(): number;
  answerWithinMs?: number;
}

/** The code every refusal of the plan answers with, on every route. */
export const REFUSED_CODE = "quiet";

/**
 * The one gate every start on a player passes (voice, a child's page, a cast, Home Assistant's
 * media player, MQTT, the panel and the API, rules, a story going on): the family plan first (quiet
 * hours, bedtime, the day's listening; a refusal written once in the child's journal), then, for a
 * play asked by its title, whether the player can be reached, then the play, answered once the
 * player took it or, if it is slow, that it was asked. What it lets through is an `Admission`, the
 * only thing the players start sound with.
 */
export class PlayGate {
  readonly #deps: PlayGateDeps;
  /** When each refusal (player and words) was last written. */
  readonly #written = new Map<string, number>();

  constructor(deps: PlayGateDeps) {
    this.#deps = deps;
  }

  /** Why the player may not start playing now, or undefined when it may. */
  why(playerId: string): string | undefined {
    return this.#deps.refusal(playerId);
  }

  /**
   * Until when the player is held quiet (a child's night or used-up day, quiet hours a parent set),
   * for an answer that says it without asking to play (a volume asked in quiet); undefined when
   * nothing holds it, or nothing says until when.
   */
  heldUntil(playerId: string): number | undefined {
    return this.#deps.refusal(playerId) === undefined ? undefined : this.#deps.held(playerId)?.until;
  }

  /**
   * Asked by a route that sends a start on (a command, a stream, a story, a URL): an admission, or a
   * 409 saying why and how to end the quiet, written in the journal.
   */
  async admit(playerId: string, request: PlayRequest, describe?: () => Promise<string>): Promise<Admission> {
    const refused = await this.#plan(playerId, request, describe);
    if (refused)
      throw refusedError(
        refused.text,
        refused.reason === "bedtime" || refused.reason === "budget" ? refused.reason : "quiet",
      );
    return this.#deps.admissions.issue(playerId);
  }

  /** As `admit`, for a route that answers a refusal in its own words (a child's page): the admission, or the refusal. */
  async check(playerId: string, request: PlayRequest): Promise<{admitted: Admission} | {refused: GateAnswer}> {
    const refused = await this.#plan(playerId, request);
    return refused ? {refused} : {admitted: this.#deps.admissions.issue(playerId)};
  }

  /** A refusal some route already decided (a renderer's held Play): written in the journal, as every refusal is. */
  async refused(playerId: string, request: PlayRequest, why: string): Promise<void> {
    const what = request.what ?? "Something to play";
    const text = `${what}, ${ROUTE_WORDS[request.route](request)}, was not played: ${why}`;
    const key = `${playerId}\u0000${text}`;
    const now = this.#deps.now();
    const last = this.#written.get(key);
    // Logged as it is journalled, once a minute for the same words: a rule or a child tapping again
    // and again does not flood the log.
    if (last !== undefined && now - last < ONCE_IN_MS) {
      this.#deps.log.debug(`${playerId}: ${text} (again)`);
      return;
    }
    this.#deps.log.info(`${playerId}: ${text}`);
    if (this.#written.size >= MAX_KEPT) this.#written.clear();
    this.#written.set(key, now);
    await this.#deps.journal(playerId, text).catch((err) => {
      this.#written.delete(key);
      this.#deps.log.warning(`The family journal did not take a refusal: ${errorMessage(err)}`);
    });
  }

  /** Offline, or Yoto out of reach: said at once rather than after a command's long wait. */
  reachable(player: PlayerState): GateAnswer | undefined {
    if (!this.#deps.cloudConnected())
      return {
        outcome: "offline",
        reason: "cloud",
        text: "Yoto's cloud is out of reach: the player cannot be asked now",
      };
    if (!player.online) return {outcome: "offline", reason: "player", text: `'${player.name}' is offline`};
    return undefined;
  }

  /**
   * The whole gate, for a play asked by its title (voice, a page, a shelf select): the plan, the
   * player within reach, then `run` with the admission (what plays it), waited for a few seconds at
   * most. `what` is said as the family calls it ("'The Sleepy Dragon'").
   */
  async play(
    player: PlayerState,
    request: PlayRequest & {what: string},
    run: (admission: Admission) => Promise<unknown>,
  ): Promise<GateAnswer> {
    const refused = await this.#plan(player.id, request);
    if (refused) return refused;
    const unreachable = this.reachable(player);
    if (unreachable) return unreachable;
    try {
      const done = await within(
        run(this.#deps.admissions.issue(player.id)),
        this.#deps.answerWithinMs ?? ANSWER_WITHIN_MS,
      );
      return done.done
        ? {outcome: "played", text: `Playing ${request.what} on '${player.name}'`}
        : {outcome: "pending", text: `Asked '${player.name}' to play ${request.what}`};
    } catch (err) {
      this.#deps.log.warning(`${request.what} did not play on '${player.name}' (${errorMessage(err)})`);
      return {outcome: "failed", text: errorMessage(err), error: errorMessage(err)};
    }
  }

  /**
   * A child's sleep sound (the plan's `sleep`). By day, or while the day's listening is used up,
   * an ordinary play (`play`). While bedtime or quiet hours hold the player, the one start let
   * through, when `withinNight()` finds it within the child's limits (else its sentence is the
   * refusal, journaled as every refusal is). `night` says which it was.
   */
  async sleep(
    player: PlayerState,
    request: PlayRequest & {what: string},
    withinNight: () => string | undefined,
    run: (admission: Admission) => Promise<unknown>,
  ): Promise<{answer: GateAnswer; night: boolean; heldUntil?: number}> {
    const held = this.#deps.refusal(player.id) === undefined ? undefined : this.#deps.held(player.id);
    if (!held || held.reason === "budget") return {answer: await this.play(player, request, run), night: false};
    const over = withinNight();
    if (over !== undefined) {
      await this.refused(player.id, request, over);
      const until = held.until === undefined ? {} : {until: held.until};
      return {answer: {outcome: "refused", text: over, reason: held.reason, ...until}, night: true};
    }
    const unreachable = this.reachable(player);
    if (unreachable) return {answer: unreachable, night: true};
    try {
      await run(this.#deps.admissions.issue(player.id));
      const played = {outcome: "played" as const, text: `Playing ${request.what} on '${player.name}'`};
      return {answer: played, night: true, ...(held.until !== undefined ? {heldUntil: held.until} : {})};
    } catch (err) {
      this.#deps.log.warning(`${request.what} did not play on '${player.name}' (${errorMessage(err)})`);
      return {answer: {outcome: "failed", text: errorMessage(err), error: errorMessage(err)}, night: true};
    }
  }

  /** The plan's answer: undefined when it may play; a refusal (written in the journal, once a minute for the same words). */
  async #plan(
    playerId: string,
    request: PlayRequest,
    describe?: () => Promise<string>,
  ): Promise<GateAnswer | undefined> {
    const why = this.#deps.refusal(playerId);
    if (why === undefined) return undefined;
    const what = request.what ?? (await describe?.().catch(() => undefined));
    await this.refused(playerId, what === undefined ? request : {...request, what}, why);
    const held = this.#deps.held(playerId);
    return {
      outcome: "refused",
      text: why,
      reason: held?.reason ?? "quiet",
      ...(held?.until !== undefined ? {until: held.until} : {}),
    };
  }
}

/**
 * A start the family plan refused: the plan working as the parents set it, not a fault. Its own
 * type, so a caller (a rule's run) tells it from a failure without reading its words.
 */
export class PlayRefused extends AppError {
  /** Why, as the gate said it (without how a parent ends it). */
  readonly why: string;

  constructor(why: string, reason?: PlayHeld["reason"]) {
    super(REFUSED_CODE, `${why}. ${howToEnd(reason)}`, {status: 409});
    this.why = why;
  }
}

/**
 * How a parent ends it, after the sentence in a 409: Allow (a bonus) where a child's plan holds the
 * player (bedtime, the day's listening), "End now" always, in the words of the button a parent sees
 * on the player's card, and Home Assistant's button by its own name.
 */
export function howToEnd(reason?: PlayHeld["reason"]): string {
  return reason === "bedtime" || reason === "budget"
    ? `A parent can end it: Allow on the Family page, or "End now" on the player (Home Assistant's "End quiet hours" button)`
    : `A parent can end it: "End now" on the player (Home Assistant's "End quiet hours" button)`;
}

/** The one error every refusal of the plan is, on every route: 409, why (the plan's reason, once), and how a parent ends it. */
export function refusedError(why: string, reason?: PlayHeld["reason"]): PlayRefused {
  return new PlayRefused(why, reason);
}

/** What a request asks for, as the journal says it: a title quoted, an action as it is. */
export function asked(title: string | undefined, action: string): string {
  return title ? `'${title}'` : action;
}
