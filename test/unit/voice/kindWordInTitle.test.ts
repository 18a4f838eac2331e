import {describe, expect, it} from "vitest";
import type {CatalogueEntry} from "../../../src/playing/types.js";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {whatIsMeant} from "../../../src/voice/whatIsMeant.js";

const meant = (heard: string, choices: CatalogueEntry[], lang = english) => {
  const m = whatIsMeant(heard, lang, choices);
  if (m.kind === "play") return `${m.choice.kind} ${m.choice.id}`;
  if (m.kind === "choose") return `choose ${m.options.map((o) => o.id).join(", ")}`;
  return m.kind;
};

/** A kind word said after some words may be a word of the title itself, not a kind: the title is still found by it. */
describe("a kind word that is part of a title", () => {
  it("plays the title that holds it, never another holding only the words before it", () => {
    const family: CatalogueEntry[] = [
      {kind: "card", id: "kids", title: "Kids Songs"},
      {kind: "stream", id: "kids-radio", title: "Kids Radio Hits"},
      {kind: "station", id: "tone-fm", title: "Tone fm"},
    ];
    expect(meant("kids radio", family)).toBe("stream kids-radio");
    const pirates: CatalogueEntry[] = [
      {kind: "card", id: "pra", title: "Pirate Radio Adventures"},
      {kind: "card", id: "pp", title: "Pirate Pete"},
      {kind: "station", id: "tone-fm", title: "Tone fm"},
    ];
    expect(meant("pirate radio", pirates)).toBe("card pra");
  });

  it("plays a German station whose joined word ends in a kind word ('Kinderradio')", () => {
    const family: CatalogueEntry[] = [
      {kind: "station", id: "kinderradio-bayern", title: "Kinderradio Bayern"},
      {kind: "station", id: "tone-fm", title: "Tone fm"},
      {kind: "card", id: "kl", title: "Kinderlieder"},
    ];
    expect(meant("Kinderradio", family, german)).toBe("station kinderradio-bayern");
    expect(meant("das Kinderradio", family, german)).toBe("station kinderradio-bayern");
  });

  it("finds a title ending in a kind word when the words before it name nothing ('Mias Geschichtenradio')", () => {
    const family: CatalogueEntry[] = [
      {kind: "stream", id: "story-radio-mia", title: "Geschichtenradio"},
      {kind: "station", id: "tone-fm", title: "Tone fm"},
    ];
    expect(meant("Mias Geschichtenradio", family, german)).toBe("stream story-radio-mia");
  });
});
