import {describe, expect, it} from "vitest";
import {composeFrames, familyTargets, targetPlaced, type VoiceGrammar} from "../../../src/voice/grammar.js";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {commandSaid} from "../../../src/voice/whatIsMeant.js";

const GRAMMAR: VoiceGrammar = {
  devices: ["yoto", "player"],
  everyDevice: ["yotos"],
  targets: {
    for: ["for <child>"],
    on: ["on <childs> <device>", "on the <device> in [the] <place>"],
    own: ["on (her|his) <device>"],
    in: ["in [the] <place>"],
    room: ["in [the] <room>"],
    every: ["(all|every) [the] (<device>|<devices>)"],
    named: ["[the] <player> [<device>]"],
    first: ["<player>"],
  },
  words: {unit: ["song", "chapter"]},
  frames: {
    play: [
      "(play|put on) {what} (<for>|<on>)",
      "let <child> hear {what} [(<own>|<on>|<in>)]",
      "<named> play {what}",
      "skip the <unit> <on>",
    ],
  },
};

const NAMES = {
  child: ["Mia", "Ben"],
  childs: ["Mia's", "Mias"],
  player: ["Bedroom Mini"],
  place: ["Bedroom Mini", "Mia's Room"],
};

describe("sentences composed from a language's parts", () => {
  it("writes each target and name as the family's literal alternatives, and the device words and word lists", () => {
    const lines = composeFrames(GRAMMAR.frames.play ?? [], GRAMMAR, NAMES);
    expect(lines).toEqual([
      "(play|put on) {what} ((for (Mia|Ben))|(on (Mia's|Mias) (yoto|player)|on the (yoto|player) in [the] (Bedroom Mini|Mia's Room)))",
      "let (Mia|Ben) hear {what} [((on (her|his) (yoto|player))|(on (Mia's|Mias) (yoto|player)|on the (yoto|player) in [the] (Bedroom Mini|Mia's Room))|(in [the] (Bedroom Mini|Mia's Room)))]",
      "([the] (Bedroom Mini) [(yoto|player)]) play {what}",
      "skip the (song|chapter) (on (Mia's|Mias) (yoto|player)|on the (yoto|player) in [the] (Bedroom Mini|Mia's Room))",
    ]);
    expect(lines.filter((l) => l.includes("<") || l.includes("~"))).toEqual([]);
  });

  it("leaves out the targets a family has no names for, and a frame that needs only those", () => {
    const noPlaces = {child: ["Mia"], childs: ["Mia's"], player: [], place: []};
    const targets = familyTargets(GRAMMAR, noPlaces);
    expect(targets.in).toBeUndefined();
    expect(targets.named).toBeUndefined();
    expect(targets.on).toBe("(on (Mia's) (yoto|player))");
    const lines = composeFrames(GRAMMAR.frames.play ?? [], GRAMMAR, noPlaces);
    // The room taken out of the optional alternatives; the frame said to a Yoto by name left out.
    expect(lines).toEqual([
      "(play|put on) {what} ((for (Mia))|(on (Mia's) (yoto|player)))",
      "let (Mia) hear {what} [((on (her|his) (yoto|player))|(on (Mia's) (yoto|player)))]",
      "skip the (song|chapter) (on (Mia's) (yoto|player))",
    ]);
    // No names at all: nothing that needs one is written.
    expect(composeFrames(GRAMMAR.frames.play ?? [], GRAMMAR, {child: [], childs: [], player: [], place: []})).toEqual(
      [],
    );
  });

  it("writes a title said with the room alone only for the rooms where nothing but a Yoto plays", () => {
    const frames = ["play {what} <room>"];
    expect(composeFrames(frames, GRAMMAR, NAMES)).toEqual([]);
    expect(composeFrames(frames, GRAMMAR, {...NAMES, room: ["Mia's Room"]})).toEqual([
      "play {what} (in [the] (Mia's Room))",
    ]);
  });

  it("places a command's target at each place it may go, once a sentence", () => {
    expect(targetPlaced("skip <at> the <unit> <at> now")).toEqual([
      "skip (<on>|<in>|<for>) the <unit> now",
      "skip the <unit> (<on>|<in>|<for>) now",
    ]);
    expect(targetPlaced("<at> skip it")).toEqual(["(<on>|<in>|<for>) skip it"]);
    expect(targetPlaced("skip <on>")).toEqual(["skip <on>"]);
    expect(composeFrames(["skip <at> the <unit> <at>"], GRAMMAR, NAMES)).toHaveLength(2);
  });

  it("takes a Yoto by its name alone only at a sentence's edge, and only for the triggers that allow it", () => {
    // At the start and at the end (optional words around it say nothing); never in the middle.
    expect(targetPlaced("[please] <at> skip <at> the <unit> <at> [now]", true)).toEqual([
      "[please] (<on>|<in>|<for>|<first>) skip the <unit> [now]",
      "[please] skip (<on>|<in>|<for>) the <unit> [now]",
      "[please] skip the <unit> (<on>|<in>|<for>|<first>) [now]",
    ]);
    expect(targetPlaced("<at> skip it", false)).toEqual(["(<on>|<in>|<for>) skip it"]);
    const edged: VoiceGrammar = {...GRAMMAR, bareAtEdges: ["next"]};
    const next = composeFrames(["skip <at>"], edged, NAMES, undefined, "next");
    const stop = composeFrames(["turn off <at>"], edged, NAMES, undefined, "stop");
    // The name alone is one more "Bedroom Mini" in next's line than in stop's.
    const count = (line = "") => line.split("Bedroom Mini").length - 1;
    expect(count(next[0])).toBe(count(stop[0]) + 1);
  });

  it("reads a name list by its own property only", () => {
    expect(composeFrames(["play {what} for <constructor>"], GRAMMAR, NAMES)).toEqual([]);
    expect(composeFrames(["play {what} for <toString>"], GRAMMAR, NAMES)).toEqual([]);
  });
});

describe("a command said where a title goes", () => {
  it.each([
    ["en", "next", "next"],
    ["en", "next chapter", "next"],
    ["en", "next episode", "next"],
    ["en", "previous song", "previous"],
    ["en", "last song again", "previous"],
    ["en", "last track", "previous"],
    ["en", "last", undefined],
    ["en", "last one", undefined],
    ["en", "next door story", undefined],
    ["en", "next to the dragon", undefined],
    ["en", "sleepy dragon", undefined],
    ["de", "nächsten song", "next"],
    ["de", "nächste folge", "next"],
    ["de", "letzten titel nochmal", "previous"],
    ["de", "vorheriges lied", "previous"],
    ["de", "letzte", undefined],
    ["de", "lied nochmal", "previous"],
    ["de", "anderes lied", "next"],
    ["de", "anderen titel", "next"],
    ["en", "song again", undefined],
    ["en", "story again", undefined],
    ["en", "song", undefined],
    ["de", "nächste woche", undefined],
    // A unit of something, said with what it is of.
    ["en", "next episode of a podcast", "next"],
    ["en", "next podcast episode", "next"],
    ["en", "next recording", "next"],
    ["en", "previous episode of this podcast", "previous"],
    ["en", "next episode of the gruffalo", undefined],
    ["en", "next to the dragon", undefined],
    ["de", "nächste folge vom podcast", "next"],
    ["de", "nächste folge vom grüffelo", undefined],
  ] as const)("(%s) %s → %s", (code, said, command) => {
    expect(commandSaid(said, code === "en" ? english : german)).toBe(command);
  });
});
