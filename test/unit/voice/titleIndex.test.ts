import {describe, expect, it} from "vitest";
import {letterPairs, pairLikeness as pairMapLikeness} from "../../../src/core/closest.js";
import type {CatalogueEntry} from "../../../src/playing/types.js";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {pairCodes, pairLikeness, TitleIndex} from "../../../src/voice/titleIndex.js";
import {holdsWords} from "../../../src/voice/titleWords.js";
import {whatIsMeant} from "../../../src/voice/whatIsMeant.js";

// Issue #86: every voice request made and hashed a key for each of a library's thousands of titles,
// and split each again. Titles are now worked out when the catalogue changes, not per request.

const TITLES = [
  "The Sleepy Dragon",
  "The Purple Balloon",
  "Moon Fox",
  "Mia's Song",
  "The Story of Ferdinand",
  "One More Sleep",
  "Dragon School: Book 2",
  "Bedtime",
  "story radio",
];

/** The catalogue as it is read for each request: new objects (and new title strings) every time. */
const catalogue = (titles: readonly string[] = TITLES): CatalogueEntry[] =>
  titles.map((title, i) => ({
    kind: title === "Bedtime" ? "group" : title === "story radio" ? "stream" : "card",
    id: `c${i}`,
    title: `${title} `.trimEnd(),
  }));

const PHRASES = [
  "the sleepy dragon",
  "dragon the sleepy",
  "the dragon story",
  "sleepy dragons",
  "a bedtime story",
  "zzz",
];

describe("voice's titles as compared, kept between requests", () => {
  it("works each title out once across many requests over the same catalogue, read anew each time", () => {
    const titles = new TitleIndex();
    for (let i = 0; i < 50; i++)
      for (const heard of PHRASES)
        expect(whatIsMeant(heard, english, catalogue(), titles)).toEqual(whatIsMeant(heard, english, catalogue()));
    expect(titles.built).toBe(TITLES.length);
  });

  it("works out a changed title when the catalogue changes, and finds it by its new name", () => {
    const titles = new TitleIndex();
    expect(whatIsMeant("purple balloon", english, catalogue(), titles)).toMatchObject({choice: {id: "c1"}});
    const renamed = TITLES.map((t) => (t === "The Purple Balloon" ? "The Golden Kite" : t));
    expect(whatIsMeant("golden kite", english, catalogue(renamed), titles)).toMatchObject({
      kind: "play",
      choice: {id: "c1", title: "The Golden Kite"},
    });
    expect(whatIsMeant("purple balloon", english, catalogue(renamed), titles)).toMatchObject({kind: "not_found"});
    expect(titles.built).toBe(TITLES.length + 1);
    // A card bought: one more title, the rest kept.
    whatIsMeant("golden kite", english, catalogue([...renamed.slice(0, 3), "Owl Babies", ...renamed.slice(3)]), titles);
    expect(titles.built).toBe(TITLES.length + 2);
  });

  it("reads a child's shorter list (another's story radio left out) from the titles kept, and the whole again", () => {
    const titles = new TitleIndex();
    whatIsMeant("moon fox", english, catalogue(), titles);
    const without = TITLES.filter((t) => t !== "story radio" && t !== "Moon Fox");
    for (let i = 0; i < 10; i++) {
      expect(whatIsMeant("one more sleep", english, catalogue(without), titles)).toMatchObject({choice: {id: "c4"}});
      expect(whatIsMeant("one more sleep", english, catalogue(), titles)).toMatchObject({choice: {id: "c5"}});
    }
    expect(titles.built).toBe(TITLES.length);
  });

  it("keeps each language's titles apart: a title's words are the language's", () => {
    const titles = new TitleIndex();
    const dragons = [{kind: "card" as const, id: "d", title: "Die Drachengeschichte"}];
    expect(whatIsMeant("die drachengeschichte", german, dragons, titles)).toMatchObject({kind: "play"});
    expect(whatIsMeant("die drachengeschichte", english, dragons, titles)).toMatchObject({kind: "play"});
    expect(titles.built).toBe(2);
  });
});

describe("comparing titles with nothing made per title", () => {
  const texts = ["sleepy dragon", "sleepy dragons", "dragon", "the moon and the moon", "aaaa", "a", "", "müde bär"];

  it("scores letter likeness exactly as the letter pairs' counts do", () => {
    for (const a of texts)
      for (const b of texts)
        expect(pairLikeness(pairCodes(a), pairCodes(b))).toBe(pairMapLikeness(letterPairs(a), letterPairs(b)));
  });

  it("finds whole words in a title as the words padded with spaces are found", () => {
    for (const a of texts)
      for (const b of [...texts, "moon and", "drag", "the moon"])
        expect(holdsWords(a, b)).toBe(b !== "" && ` ${a} `.includes(` ${b} `));
  });
});
