import {describe, expect, it} from "vitest";
import {CatalogueIndex} from "../../../src/playing/catalogueIndex.js";
import type {CatalogueEntry} from "../../../src/playing/types.js";

/** A family's things, with a story's plumbing and the cards this service made for its streams among them. */
const everything: CatalogueEntry[] = [
  {kind: "card", id: "moon", title: "The Moon Fox"},
  {kind: "card", id: "bedtimeCard", title: "bedtime", streamCard: "bedtime"},
  {kind: "card", id: "radioCard", title: "story-radio-mia", streamCard: "story-radio-mia"},
  {kind: "group", id: "g1", title: "Bedtime songs"},
  {kind: "story", id: "dragon", title: "The Sleepy Dragon"},
  {kind: "stream", id: "bedtime", title: "bedtime"},
  {kind: "stream", id: "dragon-lullaby", title: "dragon lullaby", partOf: "The Sleepy Dragon"},
  {kind: "podcast", id: "tales", title: "Tales"},
  {kind: "station", id: "tone-fm", title: "Tone FM"},
  {kind: "item", id: "hum", title: "Humming"},
  {kind: "item", id: "scene1", title: "The cave", partOf: "The Sleepy Dragon"},
  {kind: "item", id: "scene2", title: "The Sleepy Dragon", partOf: "The Sleepy Dragon"},
];

describe("what a parent can put on a shelf", () => {
  it("is each thing once: no part of a story, no card made for a stream, each by its reference", () => {
    const choices = new CatalogueIndex(everything, []).choices();
    expect(choices.map((c) => [c.ref, c.kind, c.title]).sort()).toEqual(
      [
        ["moon", "card", "The Moon Fox"],
        ["group:Bedtime songs", "group", "Bedtime songs"],
        ["story:dragon", "story", "The Sleepy Dragon"],
        ["stream:bedtime", "stream", "bedtime"],
        ["stream:tales", "podcast", "Tales"],
        ["stream:tone-fm", "station", "Tone FM"],
        ["library:hum", "item", "Humming"],
      ].sort(),
    );
    expect(new Set(choices.map((c) => c.ref)).size).toBe(choices.length);
  });

  it("still finds a part by its reference: a shelf that holds one keeps it", () => {
    const index = new CatalogueIndex(everything, []);
    expect(index.find("item", "scene1")?.title).toBe("The cave");
    expect(index.find("stream", "dragon-lullaby")?.partOf).toBe("The Sleepy Dragon");
  });
});
