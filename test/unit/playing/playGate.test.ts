import {describe, expect, it} from "vitest";
import {AppError} from "../../../src/core/errors.js";
import {Logger} from "../../../src/core/logger.js";
import {gatedPlayers} from "../../../src/playing/gatedPlayers.js";
import {PlayGate} from "../../../src/playing/playGate.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";

const WHY =
  "'Bedroom Mini' is quiet until 07:00 (quiet hours, bedtime or the day's listening used): nothing plays before then";

/** The gate over a plan the test sets, a journal it reads, and its own clock. */
function gateOver(state: {quiet?: string; cloud?: boolean; journalFails?: boolean}) {
  const clock = {now: 1_000_000};
  const journal: string[] = [];
  const lines: string[] = [];
  const gate = new PlayGate({
    refusal: () => state.quiet,
    held: () => (state.quiet ? {reason: "budget", until: 7 * 3_600_000} : undefined),
    journal: async (_id, text) => {
      if (state.journalFails) throw new Error("disk full");
      journal.push(text);
    },
    cloudConnected: () => state.cloud ?? true,
    log: new Logger({level: "info", sink: (line) => lines.push(line)}),
    now: () => clock.now,
    answerWithinMs: 50,
  });
  return {gate, journal, lines, clock};
}

const mini = (online = true): PlayerState =>
  newPlayer({deviceId: "mini", name: "Bedroom Mini", deviceFamily: "mini", deviceType: "mini", online});

describe("the play gate", () => {
  it("refuses while the plan holds the player, with why and until, written in the journal once a minute", async () => {
    const {gate, journal, clock} = gateOver({quiet: WHY});
    let ran = 0;
    const run = async () => ran++;
    const asked = {route: "page" as const, what: "'Songs'", child: "Mia"};
    expect(await gate.play(mini(), asked, run)).toEqual({
      outcome: "refused",
      text: WHY,
      reason: "budget",
      until: 7 * 3_600_000,
    });
    await gate.play(mini(), asked, run);
    expect(journal).toEqual([`'Songs', tapped on Mia's page, was not played: ${WHY}`]);
    clock.now += 60_000;
    await gate.play(mini(), asked, run);
    expect(journal).toHaveLength(2);
    expect(ran).toBe(0);
  });

  it("says each route in a parent's words", async () => {
    const {gate, journal} = gateOver({quiet: WHY});
    const routes = ["voice", "upnp", "media_player", "command", "rule"] as const;
    for (const route of routes) await gate.refused("mini", {route, what: "Next"}, WHY);
    expect(journal.map((line) => line.slice(0, line.indexOf(", was not played")))).toEqual([
      "Next, asked for by voice",
      "Next, sent from Home Assistant or another app",
      "Next, sent from Home Assistant's media player",
      "Next, sent as a player command (Home Assistant, the panel or the API)",
      "Next, started by a rule",
    ]);
  });

  it("answers offline before asking the player, then played, pending or failed in one set of words", async () => {
    const state: {cloud?: boolean} = {cloud: false};
    const {gate, lines} = gateOver(state);
    const asked = {route: "voice" as const, what: "'The Sleepy Dragon'"};
    const never = () => Promise.reject(new Error("must not be asked"));
    expect(await gate.play(mini(), asked, never)).toEqual({
      outcome: "offline",
      reason: "cloud",
      text: "Yoto's cloud is out of reach: the player cannot be asked now",
    });
    state.cloud = true;
    expect(await gate.play(mini(false), asked, never)).toEqual({
      outcome: "offline",
      reason: "player",
      text: "'Bedroom Mini' is offline",
    });
    expect((await gate.play(mini(), asked, async () => "ok")).text).toBe(
      "Playing 'The Sleepy Dragon' on 'Bedroom Mini'",
    );
    let answer!: () => void;
    const slow = new Promise<void>((resolve) => {
      answer = resolve;
    });
    expect(await gate.play(mini(), asked, () => slow)).toEqual({
      outcome: "pending",
      text: "Asked 'Bedroom Mini' to play 'The Sleepy Dragon'",
    });
    answer();
    const failed = await gate.play(mini(), asked, () => Promise.reject(new Error("the card is not on the account")));
    expect(failed).toEqual({
      outcome: "failed",
      text: "the card is not on the account",
      error: "the card is not on the account",
    });
    expect(lines.some((l) => l.includes("'The Sleepy Dragon' did not play on 'Bedroom Mini'"))).toBe(true);
  });

  it("keeps a refusal the journal did not take for the next attempt, and says so in the log", async () => {
    const state = {quiet: WHY, journalFails: true};
    const {gate, journal, lines} = gateOver(state);
    await gate.admit("mini", {route: "rule", what: "A card"});
    expect(lines.some((l) => l.includes("The family journal did not take a refusal: disk full"))).toBe(true);
    state.journalFails = false;
    await gate.admit("mini", {route: "rule", what: "A card"});
    expect(journal).toEqual([`A card, started by a rule, was not played: ${WHY}`]);
  });
});

describe("the players as a route that sends commands sees them", () => {
  function players() {
    const sent: string[] = [];
    const real = {
      name: "players",
      get(idOrName: string) {
        if (idOrName !== "mini" && idOrName !== "Bedroom Mini")
          throw new AppError("not_found", `No player '${idOrName}'`);
        return {id: "mini"};
      },
      async command(idOrName: string, command: {command: string}) {
        sent.push(`${idOrName} ${command.command}`);
        return {sent: command.command};
      },
    };
    return {real, sent};
  }

  it("refuses a command that starts sound while the plan holds the player (409, why and how to end it); the rest pass", async () => {
    const state: {quiet?: string} = {quiet: WHY};
    const {gate, journal} = gateOver(state);
    const {real, sent} = players();
    const gated = gatedPlayers(real, gate, "rule");
    for (const command of ["play_card", "play_group", "resume", "next", "previous"]) {
      const err = await gated.command("Bedroom Mini", {command}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(409);
      expect((err as AppError).message).toBe(
        `${WHY}: nothing starts playing until then (a parent can end it: "End quiet hours" on the player, or Allow on the Family page)`,
      );
    }
    for (const command of ["pause", "stop", "volume"]) await gated.command("mini", {command});
    expect(sent).toEqual(["mini pause", "mini stop", "mini volume"]);
    expect(journal[0]).toBe(`A card, started by a rule, was not played: ${WHY}`);
    // The players' own answers and their other methods are theirs, bound to them.
    state.quiet = undefined;
    expect(await gated.command("mini", {command: "play_card"})).toEqual({sent: "play_card"});
    expect(gated.name).toBe("players");
    await expect(gated.command("Kitchen", {command: "play_card"})).resolves.toEqual({sent: "play_card"});
  });
});
