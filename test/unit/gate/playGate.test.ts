import {describe, expect, it} from "vitest";
import {AppError} from "../../../src/core/errors.js";
import {Logger} from "../../../src/core/logger.js";
import {GatedPlayers} from "../../../src/gate/gatedPlayers.js";
import {PlayGate} from "../../../src/gate/playGate.js";
import {ROUTE_WORDS} from "../../../src/gate/routeWords.js";
import type {PlayRoute} from "../../../src/gate/types.js";
import {type Admission, Admissions, START_COMMANDS, startsSound} from "../../../src/yoto/admission.js";
import type {PlayerCommand} from "../../../src/yoto/commands.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";
import type {YotoPlayers} from "../../../src/yoto/players.js";

const WHY = "Mia's listening for today is used up: 'Bedroom Mini' is quiet until 07:00";

/** The gate over a plan the test sets, a journal it reads, and its own clock. */
function gateOver(state: {quiet?: string; cloud?: boolean; journalFails?: boolean}) {
  const clock = {now: 1_000_000};
  const journal: string[] = [];
  const lines: string[] = [];
  const admissions = new Admissions();
  const gate = new PlayGate({
    admissions,
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
  return {gate, journal, lines, clock, admissions};
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
    const routes = Object.keys(ROUTE_WORDS) as PlayRoute[];
    for (const route of routes) await gate.refused("mini", {route, what: "Next", child: "Mia"}, WHY);
    expect(journal.map((line) => line.slice(0, line.indexOf(", was not played")))).toEqual([
      "Next, asked for by voice",
      "Next, asked by an assistant",
      "Next, tapped on Mia's page",
      "Next, chosen from Mia's shelf in Home Assistant",
      "Next, cast from Home Assistant, Music Assistant or another app",
      "Next, sent from Home Assistant's media player",
      "Next, sent over MQTT (a Home Assistant button, script or automation)",
      "Next, sent from the panel or the API",
      "Next, started by a rule",
      "Next, played by a story as it went on",
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
    await gate.admit("mini", {route: "rule", what: "A card"}).catch(() => undefined);
    expect(lines.some((l) => l.includes("The family journal did not take a refusal: disk full"))).toBe(true);
    state.journalFails = false;
    await expect(gate.admit("mini", {route: "rule", what: "A card"})).rejects.toMatchObject({code: "quiet"});
    expect(journal).toEqual([`A card, started by a rule, was not played: ${WHY}`]);
  });
});

describe("the gated players", () => {
  /** Players below the gate, as YotoPlayers is: a start is sent only with an admission their Admissions issued. */
  function players(admissions: Admissions) {
    const sent: string[] = [];
    const raw = {
      get(idOrName: string) {
        if (idOrName !== "mini" && idOrName !== "Bedroom Mini")
          throw new AppError("not_found", `No player '${idOrName}'`, {status: 404});
        return mini();
      },
      async familyCards() {
        return [{cardId: "songs", title: "Bedtime Songs"}];
      },
      async command(idOrName: string, command: PlayerCommand, admission?: Admission) {
        if (startsSound(command)) admissions.check(admission, "mini", command);
        sent.push(`${idOrName} ${command.command}`);
        return null;
      },
    };
    return {raw: raw as unknown as YotoPlayers, sent};
  }

  it("refuses every command that starts sound while the plan holds the player (409, why and how to end it); the rest pass", async () => {
    const state: {quiet?: string} = {quiet: WHY};
    const {gate, journal, admissions} = gateOver(state);
    const {raw, sent} = players(admissions);
    const gated = new GatedPlayers(raw, gate);
    const starts: PlayerCommand[] = [
      {command: "play_card", cardId: "songs"},
      {command: "play_group", group: "Bedtime"},
      {command: "play"},
      {command: "resume"},
      {command: "next"},
      {command: "previous"},
      {command: "seek", seconds: 1},
    ];
    expect(starts.map((c) => c.command).sort()).toEqual([...START_COMMANDS].sort());
    for (const command of starts) {
      const err = await gated.command("Bedroom Mini", command, {route: "rule", by: "bedtime"}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("quiet");
      expect((err as AppError).status).toBe(409);
      expect((err as AppError).message).toBe(
        `${WHY}. A parent can end it: Allow on the Family page, or "End now" on the player (Home Assistant's "End quiet hours" button)`,
      );
    }
    expect(sent).toEqual([]);
    await gated.command("mini", {command: "pause"});
    await gated.command("mini", {command: "volume", percent: 10});
    expect(sent).toEqual(["mini pause", "mini volume"]);
    // Each named as a parent reads it: the card by its title, a command by what it does.
    expect(journal.map((line) => line.slice(0, line.indexOf(", started by")))).toEqual([
      "'Bedtime Songs'",
      "The card group 'Bedtime'",
      "Play",
      "Play again",
      "Next",
      "Previous",
      "A seek",
    ]);
    expect(journal[0]).toBe(`'Bedtime Songs', started by the rule 'bedtime', was not played: ${WHY}`);
    state.quiet = undefined;
    await gated.command("mini", {command: "play_card", cardId: "songs"}, {route: "api"});
    expect(sent).toContain("mini play_card");
    await expect(gated.command("Kitchen", {command: "play_card", cardId: "songs"}, {route: "api"})).rejects.toThrow(
      "No player 'Kitchen'",
    );
  });

  it("sends on a start the gate already let through, and nothing the gate did not issue", async () => {
    const {gate, admissions} = gateOver({});
    const {raw, sent} = players(admissions);
    const gated = new GatedPlayers(raw, gate);
    await gated.command("mini", {command: "next"}, await gate.admit("mini", {route: "voice"}));
    expect(sent).toEqual(["mini next"]);
    const forged = {playerId: "mini"} as unknown as Admission;
    const other = new Admissions().issue("mini");
    for (const admission of [forged, other, admissions.issue("kitchen")])
      await expect(gated.command("mini", {command: "next"}, admission)).rejects.toMatchObject({
        code: "not_admitted",
        message:
          "'next' starts sound and was not let through the play gate: every start is asked there first (this is a fault in the service, please report it)",
      });
    expect(sent).toEqual(["mini next"]);
  });

  it("shows Yoto's cloud as its state and a reconnect, never the connection whose publish starts a card", () => {
    const {gate} = gateOver({});
    const calls: string[] = [];
    const connection = {
      state: "connected",
      reconnect: () => calls.push("reconnect"),
      publish: async () => calls.push("publish"),
    };
    const gated = new GatedPlayers({cloud: connection} as unknown as YotoPlayers, gate);
    expect(gated.cloud.state).toBe("connected");
    connection.state = "reconnecting";
    expect(gated.cloud.state).toBe("reconnecting");
    gated.cloud.reconnect();
    expect(calls).toEqual(["reconnect"]);
    // A cast is no way through: the view has nothing else, and cannot be given it.
    expect(Object.keys(gated.cloud).sort()).toEqual(["reconnect", "state"]);
    expect("publish" in gated.cloud).toBe(false);
    expect(Object.isFrozen(gated.cloud)).toBe(true);
  });

  it("lets an admission go stale: one kept past five minutes starts nothing", async () => {
    let now = 0;
    const admissions = new Admissions(() => now);
    const admission = admissions.issue("mini");
    now = 5 * 60_000;
    expect(() => admissions.check(admission, "mini", {command: "resume"})).not.toThrow();
    now += 1;
    expect(() => admissions.check(admission, "mini", {command: "resume"})).toThrow("was not let through the play gate");
  });
});
