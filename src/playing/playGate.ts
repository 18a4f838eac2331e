import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {within} from "../core/within.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {GateAnswer, PlayRequest, PlayRoute} from "./types.js";

/** The same refusal on the same player is written once in this long; the repeats are only logged. */
const ONCE_IN_MS = 60_000;
const MAX_KEPT = 500;
/** How long a play is waited for before the answer says it was asked (Home Assistant waits seconds). */
export const ANSWER_WITHIN_MS = 5000;

/** How each route asked, in a parent's words, for the journal: "'Songs', tapped on Mia's page, was not played: …". */
const ROUTE_WORDS: Readonly<Record<PlayRoute, (child?: string) => string>> = {
  voice: () => "asked for by voice",
  page: (child) => (child ? `tapped on ${child}'s page` : "tapped on a child's page"),
  upnp: () => "sent from Home Assistant or another app",
  media_player: () => "sent from Home Assistant's media player",
  command: () => "sent as a player command (Home Assistant, the panel or the API)",
  rule: () => "started by a rule",
};

/** Why the plan holds a player, and until when. */
export interface PlayHeld {
  reason: "bedtime" | "budget" | "quiet";
  until?: number;
}

export interface PlayGateDeps {
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

/**
 * The one gate every route into a player passes (voice, a child's page, a UPnP cast, Home
 * Assistant's media player, MQTT and panel commands, rules): the family plan first
 * (quiet hours, bedtime, the day's listening; a refusal written once in the child's journal), then
 * whether the player can be reached, then the play, answered once the player took it or, if it is
 * slow, that it was asked. The answers are the same words on every route.
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
   * The plan's answer to a request: undefined when it may play; a refusal (written in the journal,
   * once a minute for the same words) when it may not.
   */
  async admit(playerId: string, request: PlayRequest): Promise<GateAnswer | undefined> {
    const why = this.#deps.refusal(playerId);
    if (why === undefined) return undefined;
    await this.refused(playerId, request, why);
    const held = this.#deps.held(playerId);
    return {
      outcome: "refused",
      text: why,
      reason: held?.reason ?? "quiet",
      ...(held?.until !== undefined ? {until: held.until} : {}),
    };
  }

  /** A refusal some route already decided (a renderer's held Play): written in the journal, as every refusal is. */
  async refused(playerId: string, request: PlayRequest, why: string): Promise<void> {
    const text = `${request.what}, ${ROUTE_WORDS[request.route](request.child)}, was not played: ${why}`;
    this.#deps.log.info(`${playerId}: ${text}`);
    const key = `${playerId}\u0000${text}`;
    const now = this.#deps.now();
    const last = this.#written.get(key);
    if (last !== undefined && now - last < ONCE_IN_MS) return;
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
   * The whole gate: the plan, the player within reach, then `run` (what plays it), waited for a
   * few seconds at most. `what` is said as the family calls it ("'The Sleepy Dragon'").
   */
  async play(player: PlayerState, request: PlayRequest, run: () => Promise<unknown>): Promise<GateAnswer> {
    const refused = await this.admit(player.id, request);
    if (refused) return refused;
    const unreachable = this.reachable(player);
    if (unreachable) return unreachable;
    try {
      const done = await within(run(), this.#deps.answerWithinMs ?? ANSWER_WITHIN_MS);
      return done.done
        ? {outcome: "played", text: `Playing ${request.what} on '${player.name}'`}
        : {outcome: "pending", text: `Asked '${player.name}' to play ${request.what}`};
    } catch (err) {
      this.#deps.log.warning(`${request.what} did not play on '${player.name}' (${errorMessage(err)})`);
      return {outcome: "failed", text: errorMessage(err), error: errorMessage(err)};
    }
  }

  /**
   * For the routes that send a player command straight on (MQTT, the panel, the API, rules, Home
   * Assistant's media player): a command that would start sound is refused with a 409 saying why
   * and how to end the quiet; pausing, stopping and the volume always pass.
   */
  async command(playerId: string, command: string, request: PlayRequest): Promise<void> {
    if (!STARTS_SOUND.has(command)) return;
    const refused = await this.admit(playerId, request);
    if (refused)
      throw new AppError(
        "quiet",
        `${refused.text}: nothing starts playing until then (a parent can end it: "End quiet hours" on the player, or Allow on the Family page)`,
        {status: 409},
      );
  }
}

/** Player commands that start sound; everything else (pause, stop, volume, lights, settings) passes. */
const STARTS_SOUND: ReadonlySet<string> = new Set(["play_card", "play_group", "resume", "next", "previous"]);

/** What a request asks for, as the journal says it: a title quoted, an action as it is. */
export function asked(title: string | undefined, action: string): string {
  return title ? `'${title}'` : action;
}
