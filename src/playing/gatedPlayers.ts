import type {PlayGate} from "./playGate.js";
import type {PlayRoute} from "./types.js";

/** What a command that starts sound asks for, in a parent's words, for the journal. */
const ASKED: Readonly<Record<string, string>> = {
  play_card: "A card",
  play_group: "A card group",
  resume: "Play again",
  next: "Next",
  previous: "Previous",
};

interface Commanded {
  get(idOrName: string): {id: string};
  command(idOrName: string, command: {command: string}): Promise<unknown>;
}

/**
 * The players as a route that sends commands straight on sees them (Home Assistant's MQTT, the
 * panel and the API, rules, the media players): the same object, except that a command that would
 * start sound passes the play gate first, which refuses it (409, in the journal) while the plan holds
 * the player. Everything else is the players themselves, bound to them.
 */
export function gatedPlayers<T extends Commanded>(players: T, gate: Pick<PlayGate, "command">, route: PlayRoute): T {
  const command = async (idOrName: string, cmd: {command: string}) => {
    // An unknown player is the players' own 404, said by the command itself.
    let id: string | undefined;
    try {
      id = players.get(idOrName).id;
    } catch {
      id = undefined;
    }
    if (id !== undefined) {
      const what = Object.hasOwn(ASKED, cmd.command) ? (ASKED[cmd.command] as string) : cmd.command;
      await gate.command(id, cmd.command, {route, what});
    }
    return players.command(idOrName, cmd);
  };
  return new Proxy(players, {
    get(target, prop) {
      if (prop === "command") return command;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
