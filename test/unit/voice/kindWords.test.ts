import {describe, expect, it} from "vitest";
import type {CatalogueEntry} from "../../../src/playing/types.js";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {whatIsMeant} from "../../../src/voice/whatIsMeant.js";

/** A family with a stream, two stations, a podcast and a card whose title holds "radio". */
const CHOICES: CatalogueEntry[] = [
  {kind: "card", id: "dragn", title: "The Sleepy Dragon"},
  {kind: "card", id: "rexxx", title: "Radio Rex"},
  {kind: "stream", id: "demo", title: "Demo"},
  {kind: "stream", id: "story-radio-mia", title: "story radio"},
  {kind: "station", id: "tone-fm", title: "Tone fm"},
  {kind: "station", id: "abend", title: "Abend radio"},
  {kind: "podcast", id: "tales", title: "Tales for Tiny Ears"},
  {kind: "stream", id: "dragon-lullaby", title: "Dragon lullaby", partOf: "The Sleepy Dragon"},
];

const meant = (heard: string, lang = english, choices = CHOICES) => {
  const m = whatIsMeant(heard, lang, choices);
  if (m.kind === "play") return `${m.choice.kind} ${m.choice.id}`;
  if (m.kind === "choose") return `choose ${m.options.map((o) => o.id).join(", ")}`;
  if (m.kind === "not_found") return `not found '${m.what}'${m.closest ? `, closest ${m.closest.title}` : ""}`;
  return m.kind;
};

describe("the kind words a family says around a title", () => {
  it("reads 'stream', 'station', 'radio' and 'podcast' after a title as its kind", () => {
    expect(meant("the demo stream")).toBe("stream demo");
    expect(meant("demo stream")).toBe("stream demo");
    expect(meant("the tone fm station")).toBe("station tone-fm");
    expect(meant("tone fm radio")).toBe("station tone-fm");
    expect(meant("the tales for tiny ears podcast")).toBe("podcast tales");
    // A whole title is still a title: "Radio Rex" is the card, and "abend radio" the station by its name.
    expect(meant("radio rex")).toBe("card rexxx");
    expect(meant("abend radio")).toBe("station abend");
  });

  it("reads them in German, apart, hyphenated and joined to the title", () => {
    expect(meant("den Demo Stream", german)).toBe("stream demo");
    expect(meant("den Demo-Stream", german)).toBe("stream demo");
    expect(meant("den Demostream", german)).toBe("stream demo");
    expect(meant("den Sender Tone FM", german)).toBe("station tone-fm");
    expect(meant("Tone FM Sender", german)).toBe("station tone-fm");
  });

  it("takes a kind said alone as the one of that kind, or names those to choose from", () => {
    expect(meant("the radio")).toBe("choose tone-fm, abend");
    expect(meant("das Radio", german)).toBe("choose tone-fm, abend");
    expect(meant("the podcast")).toBe("podcast tales");
    // Story radio and a story's own parts are never "the stream".
    expect(meant("the stream")).toBe("stream demo");
    expect(meant("den Stream", german)).toBe("stream demo");
    const oneStation = CHOICES.filter((c) => c.id !== "abend");
    expect(meant("the radio", english, oneStation)).toBe("station tone-fm");
    expect(meant("the station", english, oneStation)).toBe("station tone-fm");
    // No station at all: the words are looked for in the titles, as before.
    const none = CHOICES.filter((c) => c.kind !== "station");
    expect(meant("the radio", english, none)).toBe("choose rexxx, story-radio-mia");
  });
});
