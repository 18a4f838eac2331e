import {describe, expect, it} from "vitest";
import {CatalogueIndex} from "../../../src/playing/catalogueIndex.js";
import {type CatalogueEntry, shelfItems} from "../../../src/shelf/shelfItems.js";

const choices: CatalogueEntry[] = [
  {kind: "card", id: "c1", title: "The Moon Fox"},
  {kind: "card", id: "c2", title: "Songs"},
  {kind: "card", id: "c3", title: "Owls"},
  {kind: "story", id: "dragon", title: "The Sleepy Dragon"},
  {kind: "station", id: "tone-fm", title: "Tone FM"},
  {kind: "podcast", id: "news", title: "Kids News"},
  {kind: "item", id: "abc123", title: "Humming"},
];
const groups = [{id: "g1", name: "Bedtime", cardIds: ["c1", "c3", "gone"]}];

describe("a shelf's references", () => {
  it("are read as play_media takes them, a group as its cards, each item once, what is gone named for the parent", () => {
    const index = new CatalogueIndex(choices, groups);
    const {items, missing} = shelfItems(
      [
        "songs",
        "card:c1",
        "group:bedtime",
        "story:The Sleepy Dragon",
        "stream:tone-fm",
        "STREAM:news",
        "library:abc123",
        "story-radio",
        "Lost Card",
        "group:Nope",
        "stream:Tone-FM",
      ],
      index,
      {stream: "story-radio-mia", title: "Story radio"},
    );
    expect(items.map((i) => [i.id, i.kind, i.title, i.group ?? ""])).toEqual([
      ["card:c2", "card", "Songs", ""],
      ["card:c1", "card", "The Moon Fox", ""],
      // The group's cards, in its order; the one already on the shelf once.
      ["card:c3", "card", "Owls", "Bedtime"],
      ["story:dragon", "story", "The Sleepy Dragon", ""],
      ["stream:tone-fm", "station", "Tone FM", ""],
      ["stream:news", "podcast", "Kids News", ""],
      ["library:abc123", "item", "Humming", ""],
      ["story-radio", "story_radio", "Story radio", ""],
    ]);
    // A stream's name is its id, exactly: "Tone-FM" is not "tone-fm".
    expect(missing.map((m) => m.ref)).toEqual(["Lost Card", "group:Nope", "stream:Tone-FM"]);
    // The same card by its id and by its title: one picture, the second named for the parent.
    const again = shelfItems(["card:c1", "the moon fox"], index, undefined);
    expect(again.items.map((i) => i.id)).toEqual(["card:c1"]);
    expect(again.missing).toEqual([{ref: "the moon fox", why: "is 'The Moon Fox' again, already on the shelf"}]);
    // A group whose cards are all on the shelf already adds nothing, and says so.
    const whole = shelfItems(["card:c1", "card:c3", "group:Bedtime"], index, undefined);
    expect(whole.items.map((i) => i.id)).toEqual(["card:c1", "card:c3"]);
    expect(whole.missing).toEqual([{ref: "group:Bedtime", why: "has only cards already on the shelf"}]);
  });

  it("names story radio as missing while the shelf has nothing it can play", () => {
    const {items, missing} = shelfItems(["story-radio"], new CatalogueIndex([], []), undefined);
    expect(items).toEqual([]);
    expect(missing).toEqual([
      {
        ref: "story-radio",
        why: "has nothing to play yet: story radio plays the shelf's library items, streams and podcasts",
      },
    ]);
  });

  it("offers everything playable once, by the reference a parent's pick is kept as", () => {
    const refs = new CatalogueIndex(choices, []).choices().map((c) => c.ref);
    expect(refs.sort()).toEqual(["c1", "c2", "c3", "library:abc123", "story:dragon", "stream:news", "stream:tone-fm"]);
  });
});
