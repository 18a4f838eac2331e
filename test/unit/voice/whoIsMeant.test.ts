import {describe, expect, it} from "vitest";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {type KnownChild, type Target, whoIsMeant, whoIsMeantWithin} from "../../../src/voice/whoIsMeant.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";

const player = (id: string, name: string, status: PlayerState["playback"]["status"] = "stopped"): PlayerState => ({
  ...newPlayer({deviceId: id, name, deviceFamily: "v3", deviceType: "v3", online: true}),
  playback: {status, cardId: null},
});
const LIVING = player("p1", "Living Room");
const MINI = player("p2", "Bedroom Mini");
const CAR = player("p3", "Car Mini", "playing");
const ATTIC = player("p4", "Attic");
const PLAYERS = [LIVING, MINI, CAR, ATTIC];
const CHILDREN: KnownChild[] = [
  {name: "Mia", playerIds: ["p2", "p3"]},
  {name: "Ben", playerIds: ["p1"]},
  {name: "Anne-Marie", playerIds: []},
  {name: "D'Arcy", playerIds: ["p4"]},
];
const said = (t: Target) =>
  t.kind === "player"
    ? `${t.player.name}${t.child ? ` (${t.child})` : ""}`
    : t.kind === "unknown"
      ? `unknown ${t.name}`
      : t.kind;
const who = (heard: Parameters<typeof whoIsMeant>[0], lang = english) => {
  const t = whoIsMeant(heard, lang, CHILDREN, PLAYERS);
  return t.kind === "player"
    ? `${t.player.name}${t.child ? ` (${t.child})` : ""}`
    : t.kind === "unknown"
      ? `unknown ${t.name}`
      : t.kind;
};

describe("who a voice request means", () => {
  it("finds a child however the name is heard, and takes the child's player playing now", () => {
    // Mia's Car Mini is playing: "Mia's Yoto" is the one she is listening to.
    for (const said of ["Mia", "Mia's", "mia’s", "Mias", "MIA", "the Mia's Yoto", "Mia's yoto player", "Miaa"])
      expect(who({who: said}), said).toBe("Car Mini (Mia)");
    expect(who({who: "Ben's"})).toBe("Living Room (Ben)");
    expect(who({who: "Mias"}, german)).toBe("Car Mini (Mia)");
    expect(who({who: "Anne-Marie"})).toBe("child_without_player");
    expect(who({who: "anne marie"})).toBe("child_without_player");
    // A name with an apostrophe of its own, said with another, or heard without it.
    for (const said of ["D'Arcy", "D’Arcy's", "Darcy", "d'arcys"])
      expect(who({who: said}), said).toBe("Attic (D'Arcy)");
  });

  it("finds a player by its name, part of it or a near miss, and says whose it is", () => {
    expect(who({who: "the living room"})).toBe("Living Room (Ben)");
    expect(who({who: "bedroom"})).toBe("Bedroom Mini (Mia)");
    expect(who({who: "living rom"})).toBe("Living Room (Ben)");
    // A Home Assistant area said by name: the one Yoto among its devices.
    const rooms = [
      {area: "Kids' Room", devices: ["Ceiling light", "Attic"]},
      {area: "Hall", devices: ["Living Room", "Bedroom Mini"]},
    ];
    expect(who({who: "the kids' room", rooms})).toBe("Attic (D'Arcy)");
    expect(who({who: "hall", rooms})).toBe("unknown hall");
    // Two players hold "mini": neither is guessed.
    expect(who({who: "mini"})).toBe("unknown mini");
  });

  it("says back a name it does not know as it was said, without 'the' or 'Yoto'", () => {
    expect(who({who: "Zoe's"})).toBe("unknown Zoe");
    expect(who({who: "the Zoe's Yoto"})).toBe("unknown Zoe");
    expect(who({who: "Ζωή"})).toBe("unknown Ζωή");
  });

  it("with nobody named, asks the satellite's room: a Yoto in it, then a room named after a child", () => {
    expect(who({devices: ["Kitchen satellite", "Bedroom Mini"]})).toBe("Bedroom Mini (Mia)");
    expect(who({area: "Living Room"})).toBe("Living Room (Ben)");
    expect(who({area: "Ben's Room"})).toBe("Living Room (Ben)");
    expect(who({area: "Mias Zimmer"}, german)).toBe("Car Mini (Mia)");
    expect(who({who: "the", area: "Garage"})).toBe("which");
    expect(whoIsMeant({}, english, [CHILDREN[1] as KnownChild], PLAYERS)).toMatchObject({kind: "player", child: "Ben"});
    expect(whoIsMeant({}, english, [], [LIVING])).toMatchObject({kind: "player", player: LIVING});
    // No players known yet: a child named is still the child; anyone else is nobody.
    expect(whoIsMeant({who: "Mia"}, english, CHILDREN, [])).toEqual({kind: "child_without_player", child: "Mia"});
    expect(whoIsMeant({who: "Zoe"}, english, CHILDREN, [])).toEqual({kind: "no_players"});
    expect(whoIsMeant({}, english, CHILDREN, [])).toEqual({kind: "no_players"});
  });

  it("never takes a short word for a name a letter away ('him' is not Tim, 'mom' not Tom)", () => {
    const kids: KnownChild[] = [
      {name: "Tim", playerIds: ["p1"]},
      {name: "Tom", playerIds: ["p2"]},
    ];
    for (const said of ["him", "mom", "the kids", "dad"])
      expect(whoIsMeant({who: said}, english, kids, PLAYERS).kind, said).toBe("unknown");
    expect(whoIsMeant({who: "Tim's"}, english, kids, PLAYERS)).toMatchObject({kind: "player", child: "Tim"});
  });

  it("follows a shared player to the child listening on it now, and keeps it the lender's after its own", () => {
    const kids: KnownChild[] = [
      {name: "Mia", playerIds: ["p2", "p1"]},
      {name: "Ben", playerIds: [], lent: ["p1"]},
    ];
    const playing = [LIVING, {...MINI, playback: {status: "stopped" as const, cardId: null}}];
    expect(whoIsMeant({who: "the living room"}, english, kids, playing)).toMatchObject({kind: "player", child: "Mia"});
    expect(whoIsMeant({who: "Ben"}, english, kids, playing)).toMatchObject({
      kind: "player",
      player: LIVING,
      child: "Ben",
    });
  });

  it("reads only so much of a name: a long one and one full of template syntax are just unknown", () => {
    expect(who({who: "x".repeat(1_000_000)})).toBe(`unknown ${"x".repeat(39)}…`);
    expect(who({who: "{{ states('sensor.x') }}"})).toBe("unknown {{ states('sensor.x') }}");
    expect(who({who: "__proto__"})).toBe("unknown __proto__");
  });
});

describe("who a request means for an assistant given some children", () => {
  const within = (scope: string[], heard: Parameters<typeof whoIsMeant>[0], players = PLAYERS) =>
    said(whoIsMeantWithin(scope, {aboutWhatPlays: true, ...heard}, english, CHILDREN, players));

  it("takes a name among the whole family, and refuses another child's Yoto and one no child has", () => {
    expect(within(["Mia"], {who: "Mia"})).toBe("Car Mini (Mia)");
    expect(within(["Mia"], {who: "bedroom"})).toBe("Bedroom Mini (Mia)");
    expect(within(["Mia"], {who: "Ben"})).toBe("not_granted");
    expect(within(["Mia"], {who: "the living room"})).toBe("not_granted");
    expect(within(["Mia"], {who: "Anne-Marie"})).toBe("not_granted");
    const kitchen = player("p5", "Kitchen");
    expect(within(["Mia", "Ben"], {who: "Kitchen"}, [...PLAYERS, kitchen])).toBe("not_granted");
    // A name that is nobody is said as ever, with the assistant's own children (VoiceTurn.knownNames).
    expect(within(["Mia"], {who: "Zeppelin"})).toBe("unknown Zeppelin");
  });

  it("with nobody named, means its one child, or one of its children's Yotos, never another's by being alone", () => {
    expect(within(["Ben"], {})).toBe("Living Room (Ben)");
    expect(within(["Anne-Marie"], {})).toBe("child_without_player");
    // Mia's Car Mini is the one with a card playing: among Mia's and Ben's, it is meant.
    const car = {...CAR, playback: {...CAR.playback, cardId: "songs"}};
    expect(within(["Mia", "Ben"], {}, [LIVING, MINI, car, ATTIC])).toBe("Car Mini (Mia)");
    // Among Ben's and D'Arcy's nothing plays: which of them.
    expect(within(["Ben", "D'Arcy"], {})).toBe("which");
    // The satellite's room holding another child's Yoto does not make it this assistant's.
    expect(within(["Ben"], {devices: ["Bedroom Mini"]})).toBe("Living Room (Ben)");
    // A child renamed or gone since the grant: no one.
    expect(within(["Zoe"], {})).toBe("not_granted");
  });

  it("never reaches a shared Yoto of its child's while another child listens on it", () => {
    // Mia's shared Bedroom Mini, lent to Ben just now: Ben's for now, named or not.
    const lent: KnownChild[] = [
      {name: "Mia", playerIds: [], lent: ["p2"]},
      {name: "Ben", playerIds: ["p1", "p2"]},
    ];
    const withinLent = (scope: string[], heard: Parameters<typeof whoIsMeant>[0]) =>
      said(whoIsMeantWithin(scope, {aboutWhatPlays: true, ...heard}, english, lent, [LIVING, MINI]));
    expect(withinLent(["Mia"], {})).toBe("child_without_player");
    expect(withinLent(["Mia"], {who: "Mia"})).toBe("not_granted");
    expect(withinLent(["Mia"], {who: "the bedroom mini"})).toBe("not_granted");
    expect(withinLent(["Ben"], {who: "the bedroom mini"})).toBe("Bedroom Mini (Ben)");
  });
});
