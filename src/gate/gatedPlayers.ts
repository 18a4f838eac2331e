import type {Admission, QuietCommand} from "../yoto/admission.js";
import {startsSound} from "../yoto/admission.js";
import type {CloudConnectionState} from "../yoto/cloudMqtt.js";
import type {PlayerCommand} from "../yoto/commands.js";
import type {WireCommand} from "../yoto/commandWire.js";
import type {YotoPlayers} from "../yoto/players.js";
import type {PlayGate} from "./playGate.js";
import {isRequest, type PlayRequest, type Start} from "./types.js";

/** What a command that starts sound asks for, in a parent's words, for the journal. */
const ASKED: Readonly<Record<string, string>> = {
  play_card: "A card",
  play_group: "A card group",
  play: "Play",
  resume: "Play again",
  next: "Next",
  previous: "Previous",
  seek: "A seek",
};

/**
 * What holders of the players see of Yoto's cloud connection: its state, and a reconnect (Home
 * Assistant's "Reconnect to Yoto" button). Never the connection itself: its publish sends
 * `card/start` to a player with no admission, past the gate.
 */
export interface CloudLink {
  readonly state: CloudConnectionState;
  reconnect(): void;
}

/** What everyone who holds the players reads of them: the players' own reads, bound, and the cloud's state. */
export type PlayerReads = Pick<
  YotoPlayers,
  "list" | "get" | "familyCards" | "cardSummary" | "refreshDevices" | "groups" | "stats"
> & {readonly cloud: CloudLink};

/**
 * The players as every service but the gate holds them: everything the players read, and commands
 * of which any that starts sound passes the play gate first (refused with 409 and a journal line
 * while the plan holds the player). A start needs a `Start`: a request (the route and what it asks)
 * or an admission the gate already issued; without one it does not compile.
 */
export class GatedPlayers implements PlayerReads {
  readonly #players: YotoPlayers;
  readonly #gate: Pick<PlayGate, "admit">;
  /** A view made here, not the connection cast narrower: nothing that holds it can reach a publish. */
  readonly cloud: CloudLink;

  constructor(players: YotoPlayers, gate: Pick<PlayGate, "admit">) {
    this.#players = players;
    this.#gate = gate;
    const connection = players.cloud;
    this.cloud = Object.freeze({
      get state(): CloudConnectionState {
        return connection.state;
      },
      reconnect: () => connection.reconnect(),
    });
  }

  get groups(): YotoPlayers["groups"] {
    return this.#players.groups;
  }
  get stats(): YotoPlayers["stats"] {
    return this.#players.stats;
  }
  list(): ReturnType<YotoPlayers["list"]> {
    return this.#players.list();
  }
  get(idOrName: string): ReturnType<YotoPlayers["get"]> {
    return this.#players.get(idOrName);
  }
  familyCards(fresh?: boolean): ReturnType<YotoPlayers["familyCards"]> {
    return this.#players.familyCards(fresh);
  }
  cardSummary(cardId: string): ReturnType<YotoPlayers["cardSummary"]> {
    return this.#players.cardSummary(cardId);
  }
  refreshDevices(): Promise<void> {
    return this.#players.refreshDevices();
  }

  /**
   * A start asked at the gate now (a request: refused with 409 and a journal line while the plan
   * holds the player), or one already let through (an admission). Asked before any work a start
   * needs (a stream's card made, a story's first scene), so a refusal leaves nothing behind.
   */
  async admit(idOrName: string, start: Start, what?: () => Promise<string>): Promise<Admission> {
    if (!isRequest(start)) return start;
    const player = this.#players.get(idOrName);
    // What was asked is named only for a refusal's journal line: a start let through reads nothing.
    return this.#gate.admit(player.id, start, what);
  }

  /** Send a command; one that starts sound is asked at the gate (`start`) or carries its admission. */
  command(idOrName: string, command: QuietCommand): Promise<WireCommand | null>;
  command(idOrName: string, command: PlayerCommand, start: Start): Promise<WireCommand | null>;
  async command(idOrName: string, command: PlayerCommand, start?: Start): Promise<WireCommand | null> {
    if (!startsSound(command)) return this.#players.command(idOrName, command);
    // An unknown player is the players' own 404, said before anything is asked.
    const player = this.#players.get(idOrName);
    const admission = start === undefined ? undefined : await this.admit(player.id, start, () => this.#named(command));
    // Checked by the players themselves: no admission, or one for another player, is refused there.
    return this.#players.command(player.id, command, admission as Admission);
  }

  /** A command as the journal names it: a card by its title where the family's cards know it. */
  async #named(command: PlayerCommand): Promise<string> {
    if (command.command === "play_card") {
      const cards = await this.#players.familyCards(false).catch(() => []);
      const card = cards.find(
        (c) => c.cardId === command.cardId || c.title.toLowerCase() === command.cardId.toLowerCase(),
      );
      if (card) return `'${card.title}'`;
    }
    if (command.command === "play_group") return `The card group '${command.group}'`;
    return Object.hasOwn(ASKED, command.command) ? (ASKED[command.command] as string) : command.command;
  }
}

export type {PlayRequest};
