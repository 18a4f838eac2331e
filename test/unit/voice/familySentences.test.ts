import {describe, expect, it} from "vitest";
import {familySentences, templateName, voiceSentences} from "../../../src/voice/familySentences.js";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {type KnownChild, whoIsMeant} from "../../../src/voice/whoIsMeant.js";
import {newPlayer} from "../../../src/yoto/playerModel.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

/** What Home Assistant's conversation trigger refuses in a sentence (hassil's punctuation, as its `has_no_punctuation` checks). */
const PUNCTUATION = /[.。,，?¿？؟!¡！;；:：’]/;

/** Every `( … )` group of literal names in the family's lines, as its alternatives. */
function nameGroups(lines: string[]): string[][] {
  return lines.flatMap((line) => [...line.matchAll(/\(([^()]*'?[^()]*)\)/g)].map((m) => (m[1] as string).split("|")));
}

describe("the family's own names in the voice sentences", () => {
  it("writes a name as a template can hold it: no syntax, no punctuation Home Assistant refuses, nothing empty", () => {
    expect(templateName("Mia's Room")).toBe("Mia's Room");
    expect(templateName("Ben (big)")).toBe("Ben big");
    expect(templateName("{{ states('x') }}")).toBe("states x");
    expect(templateName("Kitchen.")).toBe("Kitchen");
    expect(templateName("'Quoted'")).toBe("Quoted");
    expect(templateName("A|B<c>[d]")).toBe("A B c d");
    expect(templateName("Zoë’s Nook")).toBe("Zoë's Nook");
    // An apostrophe ending a word is kept, as a speech engine writes it ("the kids' room").
    expect(templateName("Kids' Room")).toBe("Kids' Room");
    expect(templateName("   ")).toBe("");
    expect(templateName("😀")).toBe("");
    expect(templateName("x".repeat(2000))).toHaveLength(60);
  });

  it("leaves out a sentence with no names to write, and writes each name once, possessives and all", () => {
    const none = familySentences(english, {children: [], players: [], areas: []});
    expect(none.play).toEqual(english.sentences.play);
    const lines = familySentences(english, {
      children: ["Mia", "mia", "James", ""],
      players: ["Bedroom Mini", "bedroom mini"],
      areas: ["Mia's Room", "{{ }}"],
    });
    const added = lines.play.filter((l) => !english.sentences.play.includes(l));
    // Names written in where the shipped wildcard was, and in the frames (each name once, any case).
    // Each line may start with a word said to anyone first ("hey").
    const lead = "[(hey|hi|okay|ok|so|now|right)] ";
    expect(added).toContain(
      lead +
        "[please] [(can|could|would) you] [please] (play|put on|start) [please] {what} (on|for) (Mia|James|Mia's|Mias|James'|James's|Jamess|Bedroom Mini|Mia's Room|Mias Room) yoto [please]",
    );
    expect(
      added.some((l) => l.startsWith(`${lead}(Mia|James) (wants|would like|wishes) to (hear|listen to) {what} `)),
    ).toBe(true);
    expect(added.filter((l) => l.includes("{who}"))).toEqual([]);
    // A hyphenated name also as heard without the hyphen.
    const anne = familySentences(english, {children: ["Anne-Marie"], players: [], areas: []});
    expect(anne.play.some((l) => l.startsWith(`${lead}(Anne-Marie|Anne Marie) (wants|would like|wishes) to`))).toBe(
      true,
    );
    expect(new Set(lines.play).size).toBe(lines.play.length);
    // German possessives: Mias, and never an apostrophe at a word's end (Max stays Max).
    const de = familySentences(german, {children: ["Mia", "Max"], players: [], areas: []});
    expect(
      de.play.some((l) => l.startsWith("[(hey|hallo|okay|ok|so|also|jetzt|sag mal)] (Mia|Max) (möchte|will)")),
    ).toBe(true);
  });

  it("says a Yoto by its name alone when the name says it is one, or once no area of the house is called so", () => {
    const bare = (house?: string[]) =>
      familySentences(german, {
        children: ["Mia"],
        players: ["Bedroom Mini", "Living Room", "Küche"],
        areas: ["Kinderzimmer"],
        ...(house ? {house} : {}),
      }).stop.find((l) => l.includes("aus") && l.includes("(den|das|die|der)] (")) ?? "";
    const named = (line: string) => /\(den\|das\|die\|der\)\] \(([^)]*)\) aus/.exec(line)?.[1];
    // The house's areas unknown: only "Bedroom Mini" says it is a Yoto.
    expect(named(bare())).toBe("Bedroom Mini");
    // Known: "Living Room" is no area's name here; "Küche" is one, in any case or spelling.
    expect(named(bare(["Kinderzimmer", "Wohnzimmer", "KÜCHE"]))).toBe("Bedroom Mini|Living Room");
    expect(named(bare(["Kinderzimmer", "living room"]))).toBe("Bedroom Mini|Küche");
  });

  it("stays valid for a family of 50 Yotos and 200 areas: no empty or duplicate alternatives, linear to make", () => {
    const family = (n: number) => ({
      children: ["Mia", "Max", "Bed"],
      players: Array.from({length: Math.min(50, n)}, (_, i) => `Yoto ${i} Mini`),
      areas: Array.from({length: n}, (_, i) => `Room ${i}`),
    });
    const where = {path: "yoto_smart_stream/voice_en.yaml", baseTopic: "yoto"};
    const made = readsInLinearTime(family, (f) => voiceSentences(english, f, where), 200);
    const all = made.triggers.flatMap((t) => t.sentences);
    for (const group of nameGroups(all.filter((l) => l.includes("Room 1")))) {
      expect(group.every((alt) => alt.trim() !== "")).toBe(true);
      expect(new Set(group.map((g) => g.toLowerCase())).size).toBe(group.length);
    }
    expect(all.filter((l) => PUNCTUATION.test(l))).toEqual([]);
    expect(made.names.areas).toHaveLength(200);
    expect(made.yaml).toContain(
      'use_blueprint:\n  path: yoto_smart_stream/voice_en.yaml\n  input:\n    base_topic: "yoto"\n    play_sentences:\n',
    );
    expect(made.version).toMatch(/^[\w-]{12}$/);
    // The version changes with the names, and only with them.
    expect(voiceSentences(english, family(200), where).version).toBe(made.version);
    expect(voiceSentences(english, family(199), where).version).not.toBe(made.version);
  });

  it("asks which child when two are a slip away alike, and never guesses one", () => {
    const p = (id: string, name: string) => ({
      ...newPlayer({deviceId: id, name, deviceFamily: "v3", deviceType: "v3", online: true}),
      playback: {status: "stopped" as const, cardId: null},
    });
    const players = [p("a", "Mini A"), p("b", "Mini B")];
    const children: KnownChild[] = [
      {name: "Mika", playerIds: ["a"]},
      {name: "Mila", playerIds: ["b"]},
    ];
    expect(whoIsMeant({who: "Mina"}, english, children, players)).toEqual({kind: "which"});
    expect(whoIsMeant({who: "Mila"}, english, children, players)).toMatchObject({kind: "player", child: "Mila"});
  });
});
